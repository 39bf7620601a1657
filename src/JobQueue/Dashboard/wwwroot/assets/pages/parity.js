// The cut-over's parity report (GET admin/cutover/parity): for each pg_cron job the cut-over
// converted, the old job's latest runs (pg_cron, pg_net status codes) beside the new schedule's
// latest jobs and attempts, so that a team sees the new path does what the old one did before it
// deletes anything.
import { api } from '../api.js';
import { h, put, time, duration, badge, table, errorBox } from '../dom.js';

const codes = (map) => {
  const entries = Object.entries(map || {});
  return entries.length ? entries.map(([code, n]) => `${code} × ${n}`).join(', ') : '—';
};

function oldSide(job) {
  const old = job.old;
  if (!old.readable) {
    return h('div', { class: 'error-box parity-unreadable', role: 'note' }, h('strong', null, 'Old runs not readable. '), old.note || '');
  }
  return h('div', null,
    h('p', null, 'Old job ', old.active ? badge('running') : badge('cancelled'), old.active ? ' still enabled' : ' disabled',
      '. Runs: ', codes(old.statuses), '. HTTP: ', old.httpStatusCodes ? codes(old.httpStatusCodes) : h('span', { class: 'muted' }, 'not available')),
    old.pgNet ? h('p', { class: 'muted small' }, old.pgNet) : null,
    table(`Old runs of ${job.oldJobName}`, ['Status', 'Started', 'Duration', 'HTTP', 'Message'],
      old.runs.map((r) => [badge(r.status), time(r.startedAt), r.durationMs == null ? '—' : duration(r.durationMs),
        r.httpStatusCodes == null ? '—' : (r.httpStatusCodes.length ? r.httpStatusCodes.map((c) => c ?? 'none').join(', ') : '—'),
        h('span', { class: 'small' }, (r.message || '').slice(0, 160))]),
      { empty: 'No runs recorded for the old job.' }));
}

function newSide(job) {
  const attempts = job.new.jobs.flatMap((j) => (j.attempts.length ? j.attempts : [null]).map((a) => ({ job: j, a })));
  return h('div', null,
    h('p', null, 'Attempts: ', codes(job.new.outcomes), '. HTTP: ', codes(job.new.httpStatusCodes)),
    table(`New attempts of ${job.newJobName}`, ['Job', 'Outcome', 'Started', 'Duration', 'HTTP', 'Error'],
      attempts.map(({ job: j, a }) => [
        h('a', { href: `#/jobs/${j.jobId}`, class: 'mono' }, j.jobId.slice(0, 8)),
        a ? badge(a.outcome) : badge(j.status),
        a ? time(a.startedAt) : time(j.createdAt),
        a && a.durationMs != null ? duration(a.durationMs) : '—',
        a && a.statusCode != null ? String(a.statusCode) : '—',
        h('span', { class: 'small error-text' }, a && a.error ? a.error.slice(0, 160) : '')]),
      { empty: 'The new schedule has not enqueued a job yet.' }));
}

export async function renderParity(main, { query, go }) {
  const runs = Number(query.get('runs')) || 10;
  const body = h('div', { id: 'parity-body' }, h('p', { class: 'muted' }, 'Loading…'));
  main.append(h('div', { class: 'page-head' }, h('h1', null, 'Cut-over parity'),
    h('p', { class: 'muted' }, 'Each pg_cron job the cut-over converted: the old job\'s last runs beside the new schedule\'s attempts. Delete the old jobs only once both sides agree.')), body);
  let report;
  try {
    report = await api.get('admin/cutover/parity', { runs });
  } catch (e) {
    put(body, errorBox(e));
    return null;
  }
  const more = h('button', { type: 'button', class: 'button-quiet', id: 'parity-more' }, `Show ${Math.min(runs * 2, 100)} runs per job`);
  more.addEventListener('click', () => go('/cutover', { runs: Math.min(runs * 2, 100) }));
  put(body,
    h('p', { id: 'parity-summary' }, `${report.summary.converted} converted job${report.summary.converted === 1 ? '' : 's'}, ${report.summary.rolledBack} rolled back.`,
      report.oldSide.readAs ? ` Old runs read as ${report.oldSide.readAs}.` : ''),
    report.oldSide.note ? h('p', { class: report.oldSide.readable === false ? 'error-box' : 'muted', id: 'parity-old-note', role: 'note' }, report.oldSide.note) : null,
    ...report.jobs.map((job) => h('section', { class: 'panel parity-job', 'aria-labelledby': `parity-${job.oldJobId}` },
      h('h2', { id: `parity-${job.oldJobId}` }, h('span', { class: 'mono' }, job.oldJobName), ' → ', h('span', { class: 'mono' }, job.newJobName)),
      h('p', { class: 'muted' }, `pg_cron job ${job.oldJobId} of ${job.oldUsername} in ${job.oldDatabase}; converted `, time(job.convertedAt),
        job.rolledBackAt ? h('span', null, ', rolled back ', time(job.rolledBackAt)) : null, '.'),
      h('div', { class: 'two-col' },
        h('div', null, h('h3', null, 'Old (pg_cron + pg_net)'), oldSide(job)),
        h('div', null, h('h3', null, 'New (JobQueue)'), newSide(job))))),
    report.jobs.length && runs < 100 ? more : null);
  return null;
}
