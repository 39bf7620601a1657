// "Background Job Status": the latest jobs with their trigger source, colour-coded status, start,
// completion and duration, a Retry button for failed ones, and triggers for the Game Platform
// pipeline. Refreshed every 30 s while some listed job is pending or processing.
import { api } from '../api.js';
import { h, put, time, duration, badge, jobLink, table, toast, errorBox } from '../dom.js';

const REFRESH_MS = 30000;

/** "timer: GamePlatformSync", "pg_cron: nightly", "admin: admin-token" from triggered_by. */
function trigger(triggeredBy) {
  if (!triggeredBy) { return h('span', { class: 'muted' }, 'API / SQL'); }
  const i = triggeredBy.indexOf(':');
  if (i < 0) { return triggeredBy; }
  const kind = triggeredBy.slice(0, i);
  const label = { timer: 'Timer', schedule: 'Timer', pg_cron: 'pg_cron', admin: 'Admin', retry: 'Retry' }[kind] || kind;
  return h('span', { class: 'trigger' }, h('span', { class: `trigger-kind trigger-${kind.replace(/[^a-z_]/g, '')}` }, label), ' ', triggeredBy.slice(i + 1));
}

export async function renderStatus(main) {
  const auto = h('span', { id: 'auto-refresh', class: 'muted' });
  const refresh = h('button', { type: 'button', class: 'button-quiet' }, 'Refresh');
  const body = h('div', { id: 'status-body' }, h('p', { class: 'muted' }, 'Loading…'));
  main.append(
    h('div', { class: 'page-head' }, h('h1', null, 'Background Job Status'), h('div', { class: 'page-tools' }, auto, refresh)),
    triggers(() => load()),
    body);

  let timer = null;
  const load = async () => {
    clearTimeout(timer);
    let page;
    try {
      page = await api.get('admin/jobs', { limit: 30 });
    } catch (e) {
      put(body, errorBox(e));
      return;
    }
    const rows = page.jobs.map((j) => {
      const ms = j.startedAt && j.completedAt ? new Date(j.completedAt) - new Date(j.startedAt) : null;
      const retry = j.status === 'failed'
        ? h('button', { type: 'button', class: 'button-small', 'aria-label': `Retry ${j.taskType} job ${j.id}`, onclick: () => retryJob(j, load) }, 'Retry')
        : null;
      return [h('span', null, jobLink(j.id, j.taskType)), trigger(j.triggeredBy), badge(j.status), time(j.startedAt), time(j.completedAt),
        j.status === 'processing' ? h('span', { class: 'muted' }, 'running') : duration(ms), retry];
    });
    put(body, table('Background jobs, newest first', ['Job', 'Trigger', 'Status', 'Started', 'Completed', 'Duration', 'Action'], rows,
      { empty: 'No jobs yet.', className: 'status-table' }));
    const active = page.jobs.some((j) => j.status === 'pending' || j.status === 'processing');
    auto.textContent = `Updated ${new Date().toISOString().slice(11, 19)} UTC · ${active ? 'refreshing every 30 s while jobs are active' : 'no active jobs: not refreshing'}`;
    auto.dataset.active = String(active);
    if (active) { timer = setTimeout(load, REFRESH_MS); }
  };
  refresh.addEventListener('click', load);
  await load();
  return () => clearTimeout(timer);
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

function triggers(done) {
  const dryRun = h('input', { type: 'checkbox', id: 'trigger-dry-run' });
  const run = (route, label) => async () => {
    try {
      const result = await api.post(`admin/jobs/${route}`, { dryRun: dryRun.checked });
      toast(`${label}: ${result.message}`, 'success');
      await done();
    } catch (e) {
      toast(`${label} failed: ${e.message}`, 'error');
    }
  };
  return h('section', { class: 'panel triggers', 'aria-labelledby': 'triggers-h' },
    h('h2', { id: 'triggers-h' }, 'Run the Game Platform pipeline now'),
    h('div', { class: 'trigger-row' },
      h('button', { type: 'button', class: 'button-primary', id: 'trigger-sync', onclick: run('trigger-sync', 'Sync') }, 'Start sync'),
      h('button', { type: 'button', class: 'button-quiet', id: 'trigger-sweep', onclick: run('trigger-totals-sweep', 'Totals sweep') }, 'Start totals sweep'),
      h('div', { class: 'checkbox' }, dryRun, h('label', { for: 'trigger-dry-run' }, 'Dry run (read and report, write nothing)'))));
}
