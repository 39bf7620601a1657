// One line per job for the lists, from its task type and payload: http_request "POST host/path"
// (no query: it may carry keys), sql_function its function, stats_update its trigger and match,
// any other task type its first payload keys.

const MAX_VALUE = 40;
const MAX_KEYS = 3;

/** The URL without its query, fragment and user info; the text itself when it does not parse. */
function urlWithoutQuery(url) {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return String(url).split(/[?#]/)[0];
  }
}

function shortValue(v) {
  if (v === null || v === undefined) { return 'null'; }
  if (typeof v === 'object') { return Array.isArray(v) ? `[${v.length}]` : '{…}'; }
  const s = String(v);
  return s.length > MAX_VALUE ? s.slice(0, MAX_VALUE - 1) + '…' : s;
}

const summaries = {
  http_request: (p) => `${String(p.method || 'POST').toUpperCase()} ${p.url ? urlWithoutQuery(p.url) : '(no url)'}`,
  sql_function: (p) => (p.function ? `${p.function}()` : '(no function)'),
  stats_update: (p) => [
    `trigger ${p.triggeredBy || '?'}`,
    p.matchId !== undefined && p.matchId !== null ? `match ${p.matchId}` : null,
    p.retryOf ? `retry of …${String(p.retryOf).slice(-12)}` : null,
  ].filter(Boolean).join(', '),
};

/** "POST <url without its query>", "public.refresh_totals()", "trigger post-match, match 42", "count=3, fail=false". */
export function jobSummary(job) {
  const p = job.payload && typeof job.payload === 'object' && !Array.isArray(job.payload) ? job.payload : {};
  const known = summaries[job.taskType];
  if (known) { return known(p); }
  const keys = Object.keys(p);
  if (keys.length === 0) { return '—'; }
  const shown = keys.slice(0, MAX_KEYS).map((k) => `${k}=${shortValue(p[k])}`).join(', ');
  return keys.length > MAX_KEYS ? `${shown}, …` : shown;
}
