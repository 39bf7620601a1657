// "Triggered by" in words, from a job's triggered_by: the kind as a small label, then who or what.
//   schedule:GamePlatformSync[:missed]  Timer GamePlatformSync
//   pg_cron:nightly                     pg_cron job nightly
//   admin:admin-token                   Admin (token)
//   admin:principal:alice@example.com   Admin alice@example.com
//   cron:admin:admin-token              Admin (token), stats trigger "cron"   (POST admin/jobs/enqueue-stats-job)
//   admin-run:cron:nightly:admin-token  Admin (token), ran pg_cron job nightly now
//   follow-up:<job id>                  Follow-up of job …<id>
//   (none)                              API   (enqueued by a caller that names no trigger: the API's runner path, SQL, the library)
import { h, jobLink, shortId } from './dom.js';

const STATS_TRIGGERS = ['post-match', 'admin', 'cron'];

/** "(token)" or the principal's name. */
function who(actor) {
  if (actor === 'admin-token') { return '(token)'; }
  return actor.startsWith('principal:') ? actor.slice('principal:'.length) : actor;
}

/** {kind, label, rest: [text or node]} */
export function describeTrigger(triggeredBy) {
  const t = triggeredBy || '';
  if (!t) { return { kind: 'api', label: 'API', rest: [] }; }
  const parts = t.split(':');
  const [head] = parts;
  if (head === 'schedule' || head === 'timer') {
    const missed = parts[parts.length - 1] === 'missed' && parts.length > 2;
    return { kind: 'timer', label: 'Timer', rest: [parts.slice(1, missed ? -1 : undefined).join(':'), missed ? ' (a missed run, caught up)' : ''] };
  }
  if (head === 'pg_cron') { return { kind: 'pg_cron', label: 'pg_cron job', rest: [parts.slice(1).join(':')] }; }
  if (head === 'follow-up') { return { kind: 'follow-up', label: 'Follow-up', rest: ['of job ', jobLink(parts.slice(1).join(':'), shortId(parts.slice(1).join(':')))] }; }
  if (head === 'admin-run' && parts[1] === 'cron' && parts.length >= 4) {
    return { kind: 'admin', label: 'Admin', rest: [`${who(parts.slice(3).join(':'))}, ran pg_cron job ${parts[2]} now`] };
  }
  if (head === 'admin') { return { kind: 'admin', label: 'Admin', rest: [who(parts.slice(1).join(':'))] }; }
  if (STATS_TRIGGERS.includes(head) && parts[1] === 'admin' && parts.length >= 3) {
    return { kind: 'admin', label: 'Admin', rest: [`${who(parts.slice(2).join(':'))}, stats trigger "${head}"`] };
  }
  return parts.length > 1
    ? { kind: 'other', label: head, rest: [parts.slice(1).join(':')] }
    : { kind: 'other', label: t, rest: [] };
}

/** The same in plain text ("Admin (token)"), e.g. for who paused processing. */
export function triggerText(triggeredBy) {
  const d = describeTrigger(triggeredBy);
  return [d.label, ...d.rest.map((r) => (typeof r === 'string' ? r : r.textContent))].filter(Boolean).join(' ').replace(/ {2,}/g, ' ');
}

/** The trigger in words; the raw value stays in the title. */
export function triggerLabel(triggeredBy) {
  const d = describeTrigger(triggeredBy);
  return h('span', { class: 'trigger', title: triggeredBy || 'no trigger recorded' },
    h('span', { class: `trigger-kind trigger-${d.kind.replace(/[^a-z_-]/g, '')}` }, d.label),
    d.rest.length ? ' ' : null, d.rest);
}
