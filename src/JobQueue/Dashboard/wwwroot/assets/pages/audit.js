// The audit log: every admin action (who, what, target, when, outcome), newest first, paged.
import { api } from '../api.js';
import { h, put, time, badge, table, errorBox } from '../dom.js';

let stack = [];

export async function renderAudit(main, { query, go }) {
  const cursor = query.get('cursor') || '';
  if (!cursor) { stack = []; }
  const body = h('div', { id: 'audit-body' }, h('p', { class: 'muted' }, 'Loading…'));
  main.append(h('div', { class: 'page-head' }, h('h1', null, 'Audit log'),
    h('p', { class: 'muted' }, 'Every admin action through the API, the dashboard or the cron routes.')), body);
  let page;
  try {
    page = await api.get('admin/audit', { limit: 50, cursor });
  } catch (e) {
    put(body, errorBox(e));
    return null;
  }
  const newer = h('button', { type: 'button', class: 'button-quiet', id: 'audit-newer', disabled: !cursor }, '← Newer');
  const older = h('button', { type: 'button', class: 'button-quiet', id: 'audit-older', disabled: !page.nextCursor }, 'Older →');
  newer.addEventListener('click', () => go('/audit', { cursor: stack.pop() || '' }));
  older.addEventListener('click', () => { stack.push(cursor); go('/audit', { cursor: page.nextCursor }); });
  const target = (e) => {
    if (!e.target) { return h('span', { class: 'muted' }, '—'); }
    return /^[0-9a-f-]{36}$/.test(e.target) ? h('a', { href: `#/jobs/${e.target}`, class: 'mono' }, e.target) : h('span', { class: 'mono' }, e.target);
  };
  put(body, 
    table('Audit log', ['When', 'Who', 'Action', 'Target', 'Outcome', 'Detail'],
      page.entries.map((e) => [time(e.at), e.actor, h('code', null, e.action), target(e), h('span', null, badge(e.outcome), ` ${e.status}`),
        h('span', { class: 'small audit-detail' }, e.detail || '')]),
      { empty: 'No admin action recorded yet.', className: 'audit-table' }),
    h('nav', { class: 'pager', 'aria-label': 'Pages' }, newer, older));
  return null;
}
