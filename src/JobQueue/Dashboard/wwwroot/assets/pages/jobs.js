// Jobs: filter by status, task type and creation time, find by id or payload text, page through
// (newest first), and retry or cancel everything that matches after a confirmation with the count.
// Each job on one line: its id, task type and a summary of its payload. The page's results are
// loaded again every few seconds while the tab is visible (pausable).
import { api } from '../api.js';
import { h, put, time, statusBadges, jobLink, table, toast, confirmDialog, errorBox, field, oneLine, STATUSES } from '../dom.js';
import { jobSummary } from '../summary.js';
import { liveRefresh } from '../live.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FILTERS = ['status', 'taskType', 'createdAfter', 'createdBefore', 'q'];
let pageStack = [];
let stackKey = '';

/** datetime-local (read as UTC) <-> ISO 8601 */
const toIso = (local) => (local ? `${local.length === 16 ? local + ':00' : local}Z` : '');
const toLocal = (iso) => (iso ? iso.replace(/Z$/, '').slice(0, 16) : '');

export async function renderJobs(main, { query, go }) {
  const filters = Object.fromEntries(FILTERS.map((k) => [k, query.get(k) || '']));
  const cursor = query.get('cursor') || '';
  const key = JSON.stringify(filters);
  if (key !== stackKey || !cursor) { pageStack = []; stackKey = key; }

  let taskTypes = [];
  try { taskTypes = (await api.get('admin/task-types')).taskTypes; } catch { /* the list still works */ }

  const status = h('select', { id: 'filter-status', name: 'status' },
    h('option', { value: '' }, 'Any status'), STATUSES.map((s) => h('option', { value: s, selected: s === filters.status }, s)));
  const taskType = h('select', { id: 'filter-task-type', name: 'taskType' },
    h('option', { value: '' }, 'Any task type'),
    [...new Set([...taskTypes, filters.taskType].filter(Boolean))].map((t) => h('option', { value: t, selected: t === filters.taskType }, t)));
  const after = h('input', { type: 'datetime-local', id: 'filter-after', name: 'createdAfter', value: toLocal(filters.createdAfter) });
  const before = h('input', { type: 'datetime-local', id: 'filter-before', name: 'createdBefore', value: toLocal(filters.createdBefore) });
  const search = h('input', { type: 'search', id: 'filter-q', name: 'q', value: filters.q, maxlength: '200', placeholder: 'a job id, or text in the payload' });
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter jobs' },
    field('Status', status), field('Task type', taskType),
    field('Created from (UTC)', after), field('Created until (UTC)', before),
    field('Find', search),
    h('div', { class: 'filter-actions' },
      h('button', { type: 'submit', class: 'button-primary', id: 'apply-filters' }, 'Apply'),
      h('button', { type: 'button', class: 'button-quiet', id: 'reset-filters', onclick: () => go('/jobs') }, 'Reset')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = search.value.trim();
    if (UUID.test(text)) { go(`/jobs/${text.toLowerCase()}`); return; }
    go('/jobs', { status: status.value, taskType: taskType.value, createdAfter: toIso(after.value), createdBefore: toIso(before.value), q: text });
  });

  const results = h('div', { id: 'job-results' }, h('p', { class: 'muted' }, 'Loading…'));
  const bulkRetry = h('button', { type: 'button', id: 'bulk-retry', class: 'button-quiet' }, 'Retry all matching…');
  const bulkCancel = h('button', { type: 'button', id: 'bulk-cancel', class: 'button-quiet' }, 'Cancel all matching…');
  bulkRetry.addEventListener('click', () => bulk('retry', filters, () => window.dispatchEvent(new HashChangeEvent('hashchange'))));
  bulkCancel.addEventListener('click', () => bulk('cancel', filters, () => window.dispatchEvent(new HashChangeEvent('hashchange'))));

  const load = async () => {
    let page;
    try {
      page = await api.get('admin/jobs', { ...filters, limit: 25, cursor });
    } catch (e) {
      put(results, errorBox(e));
      return;
    }
    const rows = page.jobs.map((j) => [
      h('span', { class: 'job-cell' }, jobLink(j.id), h('span', { class: 'muted small task-type' }, j.taskType)),
      oneLine(jobSummary(j), 'summary-line'),
      statusBadges(j.status, j.outcome), `${j.attempts}/${j.maxAttempts}`,
      time(j.createdAt), time(j.runAt), time(j.completedAt),
      oneLine(j.lastError || '', 'error-text error-line')]);

    const newer = h('button', { type: 'button', id: 'page-newer', class: 'button-quiet', disabled: !cursor }, '← Newer');
    const older = h('button', { type: 'button', id: 'page-older', class: 'button-quiet', disabled: !page.nextCursor }, 'Older →');
    newer.addEventListener('click', () => {
      const previous = pageStack.pop();
      go('/jobs', { ...filters, cursor: previous || '' });
    });
    older.addEventListener('click', () => {
      pageStack.push(cursor);
      go('/jobs', { ...filters, cursor: page.nextCursor });
    });
    put(results,
      h('p', { class: 'muted', id: 'job-count' }, `${page.jobs.length} job${page.jobs.length === 1 ? '' : 's'} on this page, newest first${cursor ? ` (page ${pageStack.length + 2})` : ''}.`),
      table('Jobs', ['Job', 'Summary', 'Status', 'Attempts', 'Created', 'Run at', 'Completed', 'Last error'], rows,
        { empty: 'No job matches these filters.', className: 'jobs-table' }),
      h('nav', { class: 'pager', 'aria-label': 'Pages' }, newer, older));
  };
  const live = liveRefresh(load, results);
  main.append(
    h('div', { class: 'page-head' }, h('h1', null, 'Jobs'), h('div', { class: 'page-tools' }, live.controls, bulkRetry, bulkCancel)),
    form, results);
  await load();
  return () => live.stop();
}

/** Bulk retry or cancel by the current filters: a dry run counts, the dialog shows it, then it runs. */
async function bulk(action, filters, done) {
  const body = {
    status: filters.status || null, taskType: filters.taskType || null,
    createdAfter: filters.createdAfter || null, createdBefore: filters.createdBefore || null, q: filters.q || null,
  };
  let preview;
  try {
    preview = await api.post(`admin/jobs/bulk-${action}`, { ...body, dryRun: true });
  } catch (e) {
    toast(`Could not count the jobs: ${e.message}`, 'error');
    return;
  }
  const verb = action === 'retry' ? 'Retry' : 'Cancel';
  const states = action === 'retry' ? 'failed or cancelled' : 'pending or processing';
  if (preview.matched === 0) {
    toast(`No ${states} job matches these filters: nothing to ${action}.`);
    return;
  }
  const described = Object.entries(body).filter(([, v]) => v).map(([k, v]) => `${k} = ${v}`).join(', ') || 'no filter: every job';
  const reason = action === 'cancel' ? h('input', { type: 'text', id: 'bulk-reason', maxlength: '500' }) : null;
  const ok = await confirmDialog({
    title: `${verb} ${preview.matched.toLocaleString('en-US')} job${preview.matched === 1 ? '' : 's'}?`,
    body: [
      h('p', { id: 'bulk-count' }, `This will ${action} `, h('strong', null, preview.matched.toLocaleString('en-US')),
        ` ${states} job${preview.matched === 1 ? '' : 's'} matching: ${described}.`),
      preview.limited ? h('p', null, `Only the first ${preview.limit.toLocaleString('en-US')} are changed by one call; run it again for the rest.`) : null,
    ],
    confirmText: `${verb} ${preview.matched.toLocaleString('en-US')}`,
    danger: action === 'cancel',
    extra: reason ? field('Reason (optional)', reason) : null,
  });
  if (!ok) { return; }
  try {
    const result = await api.post(`admin/jobs/bulk-${action}`, { ...body, dryRun: false, reason: reason?.value.trim() || null });
    toast(`${verb}: ${result.changed.toLocaleString('en-US')} job${result.changed === 1 ? '' : 's'} changed`, 'success');
    done();
  } catch (e) {
    toast(`${verb} failed: ${e.message}`, 'error');
  }
}
