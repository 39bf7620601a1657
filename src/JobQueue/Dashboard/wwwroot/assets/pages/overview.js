// Overview: counts by status, due and oldest pending, throughput and failures per minute (last hour
// and last day), pause / resume, stuck jobs, recent failures and recent attempts. Live: the figures
// every few seconds while the tab is visible (pausable), the per-minute charts every 30 s.
import { api } from '../api.js';
import { h, put, time, duration, number, badge, jobLink, table, toast, confirmDialog, field, errorBox, oneLine, STATUSES } from '../dom.js';
import { minuteChart } from '../charts.js';
import { liveRefresh } from '../live.js';

const CHARTS_MS = 30000;

const LABELS = { pending: 'Pending', processing: 'Processing', succeeded: 'Succeeded', failed: 'Failed', cancelled: 'Cancelled' };

export async function renderOverview(main, { refreshBanner }) {
  const updated = h('span', { class: 'muted', id: 'overview-updated' });
  const refresh = h('button', { type: 'button', class: 'button-quiet' }, 'Refresh');
  const body = h('div', { id: 'overview-body' });
  const charts = h('div', { class: 'chart-grid-2', id: 'charts' }, h('p', { class: 'muted' }, 'Loading…'));
  const lists = h('div', { id: 'overview-lists' });
  let chartsAt = 0;

  const load = async () => {
    let health;
    try {
      health = await api.get('admin/job-queue/health');
    } catch (e) {
      put(body, errorBox(e));
      return;
    }
    put(body,
      countsSection(health),
      processingSection(health, async () => { await refreshBanner(); await load(); }));
    put(lists, listsSection(health));
    updated.textContent = `Updated ${new Date(health.checkedAt).toISOString().slice(11, 19)} UTC`;
    if (Date.now() - chartsAt >= CHARTS_MS) {
      chartsAt = Date.now();
      loadCharts(charts);
    }
  };
  const live = liveRefresh(load, [body, lists]);
  main.append(
    h('div', { class: 'page-head' }, h('h1', null, 'Overview'), h('div', { class: 'page-tools' }, updated, live.controls, refresh)),
    body,
    h('section', { 'aria-labelledby': 'throughput-h' },
      h('h2', { id: 'throughput-h' }, 'Throughput and failures per minute'),
      charts),
    lists);

  refresh.addEventListener('click', () => { chartsAt = 0; load(); });
  await load();
  return () => live.stop();
}

function countsSection(health) {
  const c = health.counts || {};
  const cards = STATUSES.map((s) => h('li', null,
    h('a', { class: `card card-${s}`, href: `#/jobs?status=${s}`, id: `count-${s}` },
      h('span', { class: 'card-label' }, LABELS[s]),
      h('span', { class: 'card-value', dataset: { count: String(c[s] ?? 0) } }, number(c[s])))));
  cards.push(
    h('li', null, h('div', { class: 'card card-info', id: 'count-due' },
      h('span', { class: 'card-label' }, 'Due now'),
      h('span', { class: 'card-value' }, number(health.duePending)))),
    h('li', null, h('div', { class: 'card card-info', id: 'oldest-pending' },
      h('span', { class: 'card-label' }, 'Oldest due job waits'),
      h('span', { class: 'card-value' }, health.duePending ? duration(health.oldestPendingAgeSeconds * 1000) : '—'))));
  return h('section', { 'aria-labelledby': 'counts-h' },
    h('h2', { id: 'counts-h', class: 'visually-hidden' }, 'Jobs by status'),
    h('ul', { class: 'cards' }, cards));
}

function processingSection(health, changed) {
  const running = health.processingEnabled;
  const button = h('button', { type: 'button', id: running ? 'pause' : 'resume', class: running ? 'button-quiet' : 'button-primary' },
    running ? 'Pause processing…' : 'Resume processing');
  button.addEventListener('click', async () => {
    if (running) {
      const reason = h('input', { type: 'text', maxlength: '500', id: 'pause-reason' });
      const ok = await confirmDialog({
        title: 'Pause processing?',
        body: 'Runners stop claiming jobs until processing is resumed. Jobs already running finish.',
        confirmText: 'Pause processing',
        danger: true,
        extra: field('Reason (optional)', reason),
      });
      if (!ok) { return; }
      await setProcessing(false, reason.value.trim() || null, changed);
    } else {
      await setProcessing(true, null, changed);
    }
  });
  return h('section', { class: 'processing', 'aria-labelledby': 'processing-h' },
    h('h2', { id: 'processing-h', class: 'visually-hidden' }, 'Processing'),
    h('p', null, 'Processing: ', running ? h('span', { class: 'badge badge-succeeded' }, 'running') : h('span', { class: 'badge badge-failed' }, 'paused'),
      !running && health.pausedReason ? ` (${health.pausedReason})` : ''),
    button);
}

async function setProcessing(enabled, reason, changed) {
  try {
    await api.put('admin/job-queue/settings', { processingEnabled: enabled, pausedReason: reason });
    toast(enabled ? 'Processing resumed' : 'Processing paused', 'success');
    await changed();
  } catch (e) {
    toast(`Could not change processing: ${e.message}`, 'error');
  }
}

async function loadCharts(host) {
  try {
    const [hour, day] = await Promise.all([
      api.get('admin/job-queue/throughput', { window: 'hour' }),
      api.get('admin/job-queue/throughput', { window: 'day' }),
    ]);
    const series = (t, key) => t.minutes.map((m) => ({ at: m.at, value: m[key] }));
    put(host, 
      h('div', { class: 'panel', id: 'chart-hour' }, h('h3', null, 'Last hour'),
        minuteChart({ points: series(hour, 'succeeded'), kind: 'ok', title: 'Succeeded per minute, last hour' }),
        minuteChart({ points: series(hour, 'failed'), kind: 'bad', title: 'Failed attempts per minute, last hour', height: 90 })),
      h('div', { class: 'panel', id: 'chart-day' }, h('h3', null, 'Last 24 hours'),
        minuteChart({ points: series(day, 'succeeded'), kind: 'ok', title: 'Succeeded per minute, last 24 hours' }),
        minuteChart({ points: series(day, 'failed'), kind: 'bad', title: 'Failed attempts per minute, last 24 hours', height: 90 })));
  } catch (e) {
    put(host, errorBox(e));
  }
}

function listsSection(health) {
  // the failures take the whole width, each error on one line (the full text on the job's page)
  return h('div', { class: 'two-col' },
    h('section', { 'aria-labelledby': 'failures-h', class: 'span-all' },
      h('h2', { id: 'failures-h' }, 'Recent failures'),
      table('Recent failures', ['Job', 'Task type', 'Attempts', 'Failed at', 'Error'],
        (health.recentFailures || []).map((f) => [jobLink(f.id), f.taskType, String(f.attempts), time(f.completedAt), oneLine(f.lastError || '', 'error-text error-line')]),
        { empty: 'No failed jobs.', className: 'failures-table' })),
    h('section', { 'aria-labelledby': 'runs-h' },
      h('h2', { id: 'runs-h' }, 'Recent attempts'),
      table('Recent attempts', ['Job', 'Attempt', 'Outcome', 'Finished', 'Duration'],
        (health.recentRuns || []).map((r) => [jobLink(r.jobId), String(r.attempt), badge(r.outcome), time(r.finishedAt), duration(r.durationMs)]),
        { empty: 'No attempts yet.' })),
    (health.stuckJobs || []).length ? h('section', { 'aria-labelledby': 'stuck-h' },
      h('h2', { id: 'stuck-h' }, 'Stuck jobs (lease expired)'),
      table('Stuck jobs', ['Job', 'Task type', 'Runner', 'Lease ended', 'Attempts'],
        health.stuckJobs.map((s) => [jobLink(s.id), s.taskType, s.lockedBy || '', time(s.lockedUntil), String(s.attempts)]))) : null);
}
