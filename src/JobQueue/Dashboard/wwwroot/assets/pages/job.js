// One job: its fields, payload, output and attempt history; retry, cancel and run-now where its
// state allows them. The full last error; a pipeline's steps where its output lists them; the
// job's outcome and why a pending job waits where the API says so (fields shown only when present).
import { api } from '../api.js';
import { h, put, time, duration, badge, statusBadges, table, toast, confirmDialog, errorBox, field, jsonBlock } from '../dom.js';
import { triggerLabel } from '../trigger.js';
import { jobSummary } from '../summary.js';

export async function renderJob(main, { params }) {
  const [id] = params;
  const load = async () => {
    let job;
    try {
      job = await api.get(`admin/jobs/${encodeURIComponent(id)}`);
    } catch (e) {
      put(main, h('h1', null, 'Job'), errorBox(e), h('p', null, h('a', { href: '#/jobs' }, 'Back to the jobs')));
      return;
    }
    put(main, 
      h('p', { class: 'breadcrumb' }, h('a', { href: '#/jobs' }, 'Jobs'), ' / ', h('span', { class: 'mono' }, job.id)),
      h('div', { class: 'page-head' },
        h('h1', null, job.taskType, ' ', statusBadges(job.status, outcomeOf(job))),
        h('div', { class: 'page-tools', role: 'group', 'aria-label': 'Actions' }, actions(job, load))),
      h('dl', { class: 'details' },
        item('Job id', h('span', { class: 'mono' }, job.id)),
        item('Status', statusBadges(job.status, outcomeOf(job))),
        item('Summary', jobSummary(job)),
        waitText(job) ? item('Waiting because', h('span', { id: 'job-wait' }, waitText(job))) : null,
        item('Attempts', `${job.attempts} of ${job.maxAttempts}`),
        item('Run at', time(job.runAt)),
        item('Created', time(job.createdAt)),
        item('Started', time(job.startedAt)),
        item('Completed', time(job.completedAt)),
        item('Updated', time(job.updatedAt)),
        item('Triggered by', triggerLabel(job.triggeredBy)),
        item('Request id', job.requestId ? h('span', { class: 'mono' }, job.requestId) : '—'),
        item('Dedupe key', job.dedupeKey || '—'),
        job.lockedBy ? item('Held by', `${job.lockedBy} until `, time(job.lockedUntil)) : null),
      job.lastError ? h('section', { 'aria-labelledby': 'error-h' }, h('h2', { id: 'error-h' }, 'Last error'), h('pre', { class: 'error-pre', tabindex: '0', 'aria-label': 'Last error' }, job.lastError)) : null,
      stepsSection(job.output),
      h('div', { class: 'two-col' },
        h('section', { 'aria-labelledby': 'payload-h' }, h('h2', { id: 'payload-h' }, 'Payload'), jsonBlock(job.payload, 'Payload')),
        h('section', { 'aria-labelledby': 'output-h' }, h('h2', { id: 'output-h' }, 'Output'), jsonBlock(job.output, 'Output'))),
      h('section', { 'aria-labelledby': 'attempts-h' },
        h('h2', { id: 'attempts-h' }, 'Attempt history'),
        table('Attempt history', ['Attempt', 'Outcome', 'Runner', 'Started', 'Finished', 'Duration', 'Error'],
          (job.attemptHistory || []).map((a) => [String(a.attempt), badge(a.outcome), a.runnerId || '', time(a.startedAt), time(a.finishedAt), duration(a.durationMs), h('span', { class: 'error-text' }, a.error || '')]),
          { empty: 'No attempt has finished yet.' })));
  };
  await load();
  return null;
}

/** The job's outcome where the API gives one, else a stats run's "partial" from its output. */
function outcomeOf(job) {
  if (job.outcome && job.outcome !== 'complete') { return job.outcome; }
  return job.taskType === 'stats_update' && job.output && job.output.status === 'partial' ? 'partial' : null;
}

/** The API's explanation of a pending job's wait, when it gives one (a text, or an object with a message). */
function waitText(job) {
  const w = job.waitReason ?? job.wait ?? null;
  if (!w || job.status !== 'pending') { return null; }
  return typeof w === 'string' ? w : (w.message || w.text || w.reason || JSON.stringify(w));
}

/** The pipeline's steps when the output lists them (stats_update: output.steps, output.failedSteps). */
function stepsSection(output) {
  const steps = output && Array.isArray(output.steps) ? output.steps : null;
  if (!steps) { return null; }
  const failed = steps.filter((s) => s && s.success === false);
  return h('section', { 'aria-labelledby': 'steps-h' },
    h('h2', { id: 'steps-h' }, 'Steps ', failed.length ? h('span', { class: 'badge badge-failed', id: 'steps-failed' }, `${failed.length} failed`) : null),
    table('Steps', ['Step', 'Function', 'Result', 'Attempts', 'Duration', 'Error'],
      steps.map((s) => [h('code', null, s.name ?? '—'), s.function ? h('code', null, s.function) : '—',
        badge(s.success === false ? 'failed' : 'succeeded'), String(s.attempts ?? '—'), duration(s.durationMs),
        h('span', { class: 'error-text' }, s.error || '')]),
      { empty: 'No steps.', className: 'steps-table' }));
}

function item(label, ...value) {
  return h('div', null, h('dt', null, label), h('dd', null, value));
}

function actions(job, reload) {
  const retry = h('button', { type: 'button', id: 'job-retry', class: 'button-primary', disabled: !['failed', 'cancelled'].includes(job.status) }, 'Retry');
  const runNow = h('button', { type: 'button', id: 'job-run-now', class: 'button-quiet', disabled: job.status !== 'pending' }, 'Run now');
  const cancel = h('button', { type: 'button', id: 'job-cancel', class: 'button-danger', disabled: !['pending', 'processing'].includes(job.status) }, 'Cancel…');
  const act = async (action, body) => {
    try {
      const result = await api.post(`admin/jobs/${encodeURIComponent(job.id)}/${action}`, body);
      toast(result.message, 'success');
      await reload();
      document.querySelector('h1')?.focus();
    } catch (e) {
      toast(`${action} failed: ${e.message}`, 'error');
    }
  };
  retry.addEventListener('click', () => act('retry'));
  runNow.addEventListener('click', () => act('run-now'));
  cancel.addEventListener('click', async () => {
    const reason = h('input', { type: 'text', id: 'cancel-reason', maxlength: '500' });
    const ok = await confirmDialog({
      title: 'Cancel this job?',
      body: job.status === 'processing' ? 'It is running now: its runner\'s result will be ignored.' : 'It will not run.',
      confirmText: 'Cancel the job', danger: true, extra: field('Reason (optional)', reason),
    });
    if (ok) { await act('cancel', { reason: reason.value.trim() || null }); }
  });
  return [retry, runNow, cancel];
}
