// "Background Job Status": the latest jobs with their trigger in words, colour-coded status, start,
// completion and duration, a Retry button for failed ones, and the trigger buttons the modules
// registered (GET admin/trigger-actions); the stats pipeline's runs (GET admin/stats-jobs) with their failed steps, a button that
// starts a run and a Retry for a failed or partial one (POST admin/jobs/enqueue-stats-job). Loaded
// again every few seconds while the tab is visible (pausable).
import { api } from '../api.js';
import { h, put, time, duration, badge, statusBadges, jobLink, table, toast, errorBox, oneLine } from '../dom.js';
import { triggerLabel } from '../trigger.js';
import { jobSummary } from '../summary.js';
import { liveRefresh } from '../live.js';

export async function renderStatus(main) {
  const updated = h('span', { id: 'status-updated', class: 'muted' });
  const refresh = h('button', { type: 'button', class: 'button-quiet' }, 'Refresh');
  const stats = h('div', { id: 'stats-body' }, h('p', { class: 'muted' }, 'Loading…'));
  const body = h('div', { id: 'status-body' }, h('p', { class: 'muted' }, 'Loading…'));

  const load = async () => {
    await Promise.all([loadStats(stats, load), loadJobs(body, load)]);
    updated.textContent = `Updated ${new Date().toISOString().slice(11, 19)} UTC`;
  };
  const live = liveRefresh(load, [stats, body]);
  main.append(
    h('div', { class: 'page-head' }, h('h1', null, 'Background Job Status'), h('div', { class: 'page-tools' }, updated, live.controls, refresh)),
    triggers(load),
    h('section', { class: 'panel stats', 'aria-labelledby': 'stats-h' },
      h('div', { class: 'panel-head' },
        h('h2', { id: 'stats-h' }, 'Stats pipeline runs'),
        h('button', { type: 'button', class: 'button-primary', id: 'stats-start', onclick: () => startStats(null, load) }, 'Start a stats run')),
      stats),
    h('h2', { id: 'jobs-h' }, 'Latest jobs'),
    body);
  refresh.addEventListener('click', load);
  await load();
  return () => live.stop();
}

/** GET path: its data, or null once host shows the error. */
async function getInto(host, path, query) {
  try {
    return await api.get(path, query);
  } catch (e) {
    put(host, errorBox(e));
    return null;
  }
}

async function loadJobs(body, reload) {
  const page = await getInto(body, 'admin/jobs', { limit: 30 });
  if (!page) { return; }
  const rows = page.jobs.map((j) => {
    const ms = j.startedAt && j.completedAt ? new Date(j.completedAt) - new Date(j.startedAt) : null;
    const retry = j.status === 'failed'
      ? h('button', { type: 'button', class: 'button-small', 'aria-label': `Retry ${j.taskType} job ${j.id}`, onclick: () => retryJob(j, reload) }, 'Retry')
      : null;
    return [h('span', { class: 'job-cell' }, jobLink(j.id, j.taskType), oneLine(jobSummary(j), 'muted small summary-line')),
      triggerLabel(j.triggeredBy), statusBadges(j.status, j.outcome), time(j.startedAt), time(j.completedAt),
      j.status === 'processing' ? h('span', { class: 'muted' }, 'running') : duration(ms), retry];
  });
  put(body, table('Background jobs, newest first', ['Job', 'Triggered by', 'Status', 'Started', 'Completed', 'Duration', 'Action'], rows,
    { empty: 'No jobs yet.', className: 'status-table' }));
}

/** A stats run's status: its job status, and "partial" where some steps failed (the API's outcome or the run's result). */
function runStatus(run) {
  return statusBadges(run.status, run.outcome === 'partial' || run.result === 'partial' ? 'partial' : null);
}

async function loadStats(host, reload) {
  const data = await getInto(host, 'admin/stats-jobs', { limit: 10 });
  if (!data) { return; }
  const rows = data.runs.map((r) => {
    const partial = r.status === 'succeeded' && (r.outcome === 'partial' || r.result === 'partial');
    const retriable = (r.status === 'failed' || partial) && !r.retriedBy;
    return [
      jobLink(r.jobId),
      h('span', null, r.triggeredBy || '—', r.matchId ? h('span', { class: 'muted' }, ` · match ${r.matchId}`) : null,
        r.retryOf ? h('span', { class: 'muted' }, ' · retry of ', jobLink(r.retryOf)) : null),
      runStatus(r), time(r.startedAt), duration(r.durationMs),
      r.failedSteps && r.failedSteps.length
        ? h('ul', { class: 'step-list' }, r.failedSteps.map((s) => h('li', null, h('code', null, s))))
        : (r.status === 'failed' && r.lastError ? oneLine(r.lastError, 'error-text error-line') : h('span', { class: 'muted' }, 'none')),
      retriable
        ? h('button', { type: 'button', class: 'button-small', 'aria-label': `Retry stats run ${r.jobId}`, onclick: () => startStats(r.jobId, reload) }, 'Retry')
        : (r.retriedBy ? h('span', { class: 'muted small' }, 'retried: ', jobLink(r.retriedBy)) : null),
    ];
  });
  put(host, table('Stats pipeline runs, newest first', ['Run', 'Trigger', 'Status', 'Started', 'Duration', 'Failed steps', 'Action'], rows,
    { empty: 'No stats run yet.', className: 'stats-table' }));
}

/** Starts a stats run, or (retryOf) one that retries a failed or partial run. */
async function startStats(retryOf, reload) {
  try {
    const result = await api.post('admin/jobs/enqueue-stats-job', retryOf ? { triggeredBy: 'admin', retryOf } : { triggeredBy: 'admin' });
    toast(retryOf ? `Retry enqueued: ${result.message}` : `Stats run: ${result.message}`, 'success');
    await reload();
  } catch (e) {
    toast(`Could not start the stats run: ${e.message}`, 'error');
  }
}

async function retryJob(job, reload) {
  try {
    const result = await api.post(`admin/jobs/${encodeURIComponent(job.id)}/retry`);
    toast(result.message, 'success');
    await reload();
  } catch (e) {
    toast(`Retry failed: ${e.message}`, 'error');
  }
}

/** The buttons the modules registered (GET admin/trigger-actions: label, route, task type); nothing when none. */
function triggers(done) {
  const host = h('div', { id: 'triggers' });
  loadTriggers(host, done);
  return host;
}

async function loadTriggers(host, done) {
  let actions;
  try {
    ({ actions } = await api.get('admin/trigger-actions'));
  } catch (e) {
    put(host, errorBox(e));
    return;
  }
  if (!actions.length) { return; }
  const dryRun = h('input', { type: 'checkbox', id: 'trigger-dry-run' });
  const run = (action) => async () => {
    try {
      const result = await api.post(action.route, { dryRun: dryRun.checked });
      toast(`${action.label}: ${result.message}`, 'success');
      await done();
    } catch (e) {
      toast(`${action.label} failed: ${e.message}`, 'error');
    }
  };
  put(host, h('section', { class: 'panel triggers', 'aria-labelledby': 'triggers-h' },
    h('h2', { id: 'triggers-h' }, 'Run a job now'),
    h('div', { class: 'trigger-row' },
      actions.map((a, i) => h('button', {
        type: 'button', class: i === 0 ? 'button-primary' : 'button-quiet', id: `trigger-${a.taskType}`, onclick: run(a),
      }, a.label)),
      h('div', { class: 'checkbox' }, dryRun, h('label', { for: 'trigger-dry-run' }, 'Dry run (read and report, write nothing)')))));
}
