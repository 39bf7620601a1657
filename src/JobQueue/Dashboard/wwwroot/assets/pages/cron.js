// pg_cron schedules: each job's schedule in words, next run, last run status; run history; create,
// enable / disable, run now (its job enqueued once), reschedule and delete, with the schedule
// checked (by the API) as it is typed. Payloads show as one line with an expand control.
import { api } from '../api.js';
import { h, put, time, duration, badge, table, toast, confirmDialog, errorBox, field, jsonFold, oneLine } from '../dom.js';
import { jobSummary } from '../summary.js';

/** Wires a schedule input to GET admin/cron-jobs/describe: the words and next runs, or the reason it is wrong. */
function scheduleChecker(input, hint) {
  let timer = null;
  let seq = 0;
  const check = async () => {
    const value = input.value.trim();
    const mine = ++seq;
    if (!value) {
      hint.textContent = '5 fields, UTC: minute hour day-of-month month day-of-week, e.g. */30 * * * *';
      hint.className = 'hint';
      input.removeAttribute('aria-invalid');
      return;
    }
    try {
      const d = await api.get('admin/cron-jobs/describe', { schedule: value });
      if (mine !== seq) { return; }
      hint.textContent = `${d.description}. Next: ${d.nextRuns.slice(0, 3).map((t) => t.replace('T', ' ').slice(0, 16) + ' UTC').join(', ')}`;
      hint.className = 'hint hint-ok';
      input.setAttribute('aria-invalid', 'false');
    } catch (e) {
      if (mine !== seq) { return; }
      hint.textContent = e.fieldErrors.schedule ? `Schedule ${e.fieldErrors.schedule.join(', ')}` : e.message;
      hint.className = 'hint hint-error';
      input.setAttribute('aria-invalid', 'true');
    }
  };
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(check, 250); });
  check();
}

export async function renderCron(main, { query, go }) {
  const selectedJob = query.get('job') || '';
  const body = h('div', { id: 'cron-body' }, h('p', { class: 'muted' }, 'Loading…'));
  main.append(h('div', { class: 'page-head' }, h('h1', null, 'Cron jobs'), h('p', { class: 'muted' }, 'pg_cron schedules that enqueue jobs; times are UTC.')), body);

  const load = async () => {
    let data;
    let taskTypes = [];
    try {
      [data, taskTypes] = await Promise.all([api.get('admin/cron-jobs', { limit: 100 }), api.get('admin/task-types').then((t) => t.taskTypes)]);
    } catch (e) {
      put(body, errorBox(e));
      return;
    }
    const s = data.summary;
    const runs = selectedJob ? data.runs.filter((r) => r.jobName === selectedJob) : data.runs;
    put(body, 
      h('p', { id: 'cron-summary' }, `${s.total} job${s.total === 1 ? '' : 's'}: ${s.active} enabled, ${s.inactive} disabled, ${s.recentFailures} failed run${s.recentFailures === 1 ? '' : 's'} recently.`),
      unseenSummary(s),
      table('Cron jobs', ['Name', 'Schedule', 'Task', 'Next run', 'Last run', 'Enabled', 'Actions'],
        data.jobs.map((j) => [
          h('span', { class: 'mono cron-name' }, j.jobName),
          h('span', null, h('code', null, j.schedule), h('br'), h('span', { class: 'muted' }, j.description)),
          h('div', { class: 'cron-task' }, j.taskType || h('span', { class: 'muted' }, '—'),
            j.payload && Object.keys(j.payload).length ? [oneLine(jobSummary(j), 'muted small summary-line'), jsonFold(j.payload, `Payload of ${j.jobName}`)] : null),
          j.active ? time(j.nextRun) : h('span', { class: 'muted' }, 'disabled'),
          j.lastRun ? h('span', null, badge(j.lastRun.status), ' ', time(j.lastRun.startedAt)) : h('span', { class: 'muted' }, 'never'),
          toggleButton(j, load),
          h('div', { class: 'row-actions' },
            h('button', { type: 'button', class: 'button-small', 'aria-label': `Run now: ${j.jobName}`, onclick: () => runNow(j) }, 'Run now'),
            h('button', { type: 'button', class: 'button-small', 'aria-label': `Reschedule ${j.jobName}`, onclick: () => reschedule(j, load) }, 'Reschedule'),
            h('button', { type: 'button', class: 'button-small', 'aria-label': `Run history of ${j.jobName}`, onclick: () => go('/cron', { job: j.jobName }) }, 'History'),
            h('button', { type: 'button', class: 'button-small button-danger', 'aria-label': `Delete ${j.jobName}`, onclick: () => remove(j, load) }, 'Delete')),
        ]),
        { empty: 'No cron jobs yet: create one below.', className: 'cron-table' }),
      h('div', { class: 'two-col' },
        createForm(taskTypes, load),
        h('section', { 'aria-labelledby': 'runs-h' },
          h('h2', { id: 'runs-h' }, selectedJob ? `Run history of ${selectedJob}` : 'Run history'),
          selectedJob ? h('p', null, h('a', { href: '#/cron' }, 'Show every job\'s runs')) : null,
          table('Run history', ['Job', 'Status', 'Started', 'Duration', 'Message'],
            runs.map((r) => [r.jobName || String(r.jobId), badge(r.status), time(r.startedAt),
              r.startedAt && r.finishedAt ? duration(new Date(r.finishedAt) - new Date(r.startedAt)) : '—',
              oneLine(r.message || '', 'small message-line')]),
            { empty: 'No runs recorded yet.' }))));
  };
  await load();
  return null;
}

/** What the list does not show: the role's other jobs, and other roles' jobs ("unknown" where they cannot be counted). */
function unseenSummary(s) {
  const parts = [];
  if (typeof s.unlistedJobs === 'number' && s.unlistedJobs) {
    parts.push(`${s.unlistedJobs} other pg_cron job${s.unlistedJobs === 1 ? '' : 's'} of this database role ${s.unlistedJobs === 1 ? 'is' : 'are'} not listed (${s.unlistedRecentFailures} failed run${s.unlistedRecentFailures === 1 ? '' : 's'} in 24 h).`);
  }
  if (s.invisibleJobs === 'unknown') {
    parts.push('Jobs of other roles: unknown, they cannot be counted.');
  } else if (s.invisibleJobs) {
    parts.push(`${s.invisibleJobs} job${s.invisibleJobs === 1 ? '' : 's'} of other roles (${s.invisibleRecentFailures} failed run${s.invisibleRecentFailures === 1 ? '' : 's'} in 24 h).`);
  }
  if (s.note) { parts.push(s.note); }
  if (!parts.length) { return null; }
  const failing = (typeof s.invisibleRecentFailures === 'number' && s.invisibleRecentFailures > 0) || s.unlistedRecentFailures > 0;
  return h('p', { id: 'cron-unseen', class: failing ? 'error-box' : 'muted', role: 'note' }, parts.join(' '));
}

function toggleButton(job, reload) {
  const button = h('button', {
    type: 'button', class: `toggle ${job.active ? 'toggle-on' : ''}`, 'aria-pressed': String(job.active),
    'aria-label': `Enabled: ${job.jobName}: ${job.active ? 'On' : 'Off'}`, id: `toggle-${job.jobName}`,
  }, h('span', { class: 'toggle-track', 'aria-hidden': 'true' }, h('span', { class: 'toggle-thumb' })), job.active ? 'On' : 'Off');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await api.post('admin/cron-jobs/toggle', { jobName: job.jobName, active: !job.active });
      toast(`${job.jobName} ${job.active ? 'disabled' : 'enabled'}`, 'success');
      await reload();
      document.getElementById(`toggle-${job.jobName}`)?.focus();
    } catch (e) {
      toast(`Could not change ${job.jobName}: ${e.message}`, 'error');
      button.disabled = false;
    }
  });
  return button;
}

/** Enqueues the schedule's job once, now (POST admin/cron-jobs/{name}/run); the schedule is unchanged. */
async function runNow(job) {
  try {
    const result = await api.post(`admin/cron-jobs/${encodeURIComponent(job.jobName)}/run`);
    toast(`${result.message}: job ${result.jobId}`, 'success');
  } catch (e) {
    toast(`Could not run ${job.jobName}: ${e.message}`, 'error');
  }
}

async function reschedule(job, reload) {
  const input = h('input', { type: 'text', id: 'reschedule-input', value: job.schedule, maxlength: '100', spellcheck: 'false', autocomplete: 'off' });
  const hint = h('div', { class: 'hint', id: 'reschedule-input-hint', 'aria-live': 'polite' });
  input.setAttribute('aria-describedby', hint.id);
  scheduleChecker(input, hint);
  const ok = await confirmDialog({
    title: `Reschedule ${job.jobName}`,
    body: `Now: ${job.schedule} (${job.description}).`,
    confirmText: 'Save schedule',
    extra: h('div', { class: 'field' }, h('label', { for: input.id }, 'New schedule'), input, hint),
  });
  if (!ok) { return; }
  try {
    await api.post('admin/cron-jobs/schedule', { jobName: job.jobName, schedule: input.value.trim() });
    toast(`${job.jobName} rescheduled`, 'success');
    await reload();
  } catch (e) {
    toast(`Could not reschedule: ${e.fieldErrors.schedule ? 'schedule ' + e.fieldErrors.schedule.join(', ') : e.message}`, 'error');
  }
}

async function remove(job, reload) {
  const ok = await confirmDialog({
    title: `Delete ${job.jobName}?`,
    body: 'pg_cron stops running it and forgets it. Jobs it already enqueued stay.',
    confirmText: 'Delete', danger: true,
  });
  if (!ok) { return; }
  try {
    await api.post('admin/cron-jobs/delete', { jobName: job.jobName });
    toast(`${job.jobName} deleted`, 'success');
    await reload();
  } catch (e) {
    toast(`Could not delete: ${e.message}`, 'error');
  }
}

function createForm(taskTypes, reload) {
  const name = h('input', { type: 'text', id: 'cron-name', maxlength: '63', required: true, spellcheck: 'false', autocomplete: 'off', pattern: '[A-Za-z0-9][A-Za-z0-9_.\\-]*' });
  const schedule = h('input', { type: 'text', id: 'cron-schedule', maxlength: '100', required: true, spellcheck: 'false', autocomplete: 'off', placeholder: '*/30 * * * *' });
  const scheduleHint = h('div', { class: 'hint', id: 'cron-schedule-hint', 'aria-live': 'polite' });
  schedule.setAttribute('aria-describedby', scheduleHint.id);
  const taskType = h('select', { id: 'cron-task-type', required: true }, taskTypes.map((t) => h('option', { value: t }, t)));
  const payload = h('textarea', { id: 'cron-payload', rows: '3', spellcheck: 'false' }, '{}');
  const maxAttempts = h('input', { type: 'number', id: 'cron-max-attempts', min: '1', max: '100', value: '3' });
  const status = h('div', { class: 'form-status', role: 'alert', id: 'cron-create-status' });
  scheduleChecker(schedule, scheduleHint);

  const form = h('form', { class: 'stack-form', 'aria-labelledby': 'create-h', novalidate: true },
    h('h2', { id: 'create-h' }, 'Create a cron job'),
    field('Name', name, 'Letters, digits, _ . - (at most 63)'),
    h('div', { class: 'field' }, h('label', { for: schedule.id }, 'Schedule'), schedule, scheduleHint),
    field('Task type', taskType),
    field('Payload (JSON object)', payload),
    field('Max attempts', maxAttempts),
    status,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button-primary', id: 'cron-create' }, 'Create')));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    status.textContent = '';
    let parsed;
    try {
      parsed = JSON.parse(payload.value || '{}');
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) { throw new Error('must be a JSON object'); }
      payload.removeAttribute('aria-invalid');
    } catch (err) {
      status.textContent = `Payload: ${err.message}`;
      payload.setAttribute('aria-invalid', 'true');
      payload.focus();
      return;
    }
    try {
      await api.post('admin/cron-jobs/create', {
        jobName: name.value.trim(), schedule: schedule.value.trim(), taskType: taskType.value, payload: parsed,
        maxAttempts: Number(maxAttempts.value) || 3,
      });
      toast(`${name.value.trim()} created`, 'success');
      await reload();
    } catch (err) {
      const fields = Object.entries(err.fieldErrors);
      status.textContent = fields.length ? fields.map(([f, r]) => `${f}: ${r.join(', ')}`).join('; ') : err.message;
      const first = fields.length ? { jobName: name, schedule, taskType, payload, maxAttempts }[fields[0][0].split('.')[0]] : null;
      (first || name).focus();
    }
  });
  return h('section', { class: 'panel' }, form);
}
