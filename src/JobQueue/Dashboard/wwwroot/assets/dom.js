// Small DOM helpers: elements are built with createElement and text nodes only (never innerHTML
// with data), so that nothing a job carries can become markup.

/** h('a', {href: '#/', class: 'x', onclick: fn}, 'text', child, [children]) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) { continue; }
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (k === 'class') {
      el.className = v;
    } else if (k === 'dataset') {
      Object.assign(el.dataset, v);
    } else if (k === 'value') {
      el.value = v;
    } else if (v === true) {
      el.setAttribute(k, '');
    } else {
      el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) { continue; }
    if (Array.isArray(c)) { append(el, c); } else if (c instanceof Node) { el.appendChild(c); } else { el.appendChild(document.createTextNode(String(c))); }
  }
}

/** SVG element (charts). */
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== undefined && v !== null) { el.setAttribute(k, String(v)); }
  }
  append(el, children);
  return el;
}

export function clear(el) {
  while (el.firstChild) { el.removeChild(el.firstChild); }
  return el;
}

/** Replaces el's content with children (null, undefined and false are skipped). */
export function put(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** "2025-05-01 14:03:22" (UTC) inside a <time> with the full ISO value as its title. */
export function time(value) {
  if (!value) { return h('span', { class: 'muted' }, '—'); }
  const d = new Date(value);
  const text = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return h('time', { datetime: d.toISOString(), title: d.toISOString() }, text);
}

/** 850 ms, 12.3 s, 4 min 10 s, 2 h 5 min, 3 d 4 h */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) { return '—'; }
  if (ms < 1000) { return `${Math.round(ms)} ms`; }
  const s = ms / 1000;
  if (s < 60) { return `${s.toFixed(s < 10 ? 1 : 0)} s`; }
  const m = Math.floor(s / 60);
  if (m < 60) { return `${m} min ${Math.floor(s % 60)} s`; }
  const hours = Math.floor(m / 60);
  if (hours < 48) { return `${hours} h ${m % 60} min`; }
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export const number = (n) => (n ?? 0).toLocaleString('en-US');

export const STATUSES = ['pending', 'processing', 'succeeded', 'failed', 'cancelled'];

/** A colour-coded status (text always present: colour is never the only signal). */
export function badge(status) {
  const s = String(status || 'unknown');
  return h('span', { class: `badge badge-${s.replace(/[^a-z_]/g, '')}` }, s.replace('_', ' '));
}

/** The end of a job id: ids start with their creation time, so the tail tells jobs apart. */
export function shortId(id) {
  return '…' + String(id).slice(-12);
}

export function jobLink(id, text) {
  return h('a', { href: `#/jobs/${encodeURIComponent(id)}`, class: 'mono', title: String(id) }, text ?? shortId(id));
}

/** Pretty JSON in a <pre>. */
export function jsonBlock(value, label) {
  return h('pre', { class: 'json', tabindex: '0', 'aria-label': label }, value === null || value === undefined ? '—' : JSON.stringify(value, null, 2));
}

/**
 * Raw JSON collapsed to one line (cut with an ellipsis) with a native expand control (<details>):
 * opened, the pretty JSON in a scrolling <pre>.
 */
export function jsonFold(value, label) {
  const compact = value === null || value === undefined ? '—' : JSON.stringify(value);
  return h('details', { class: 'json-fold' },
    h('summary', { title: `${label}: show the JSON` }, h('span', { class: 'visually-hidden' }, `${label}: `), h('code', { class: 'json-line' }, compact)),
    jsonBlock(value, label));
}

/** Text cut to one line with an ellipsis by the stylesheet; the full text (up to 1,000 characters) in its title. */
export function oneLine(text, className = '') {
  const t = String(text ?? '');
  return h('span', { class: `one-line ${className}`.trim(), title: t.length > 1000 ? t.slice(0, 1000) + '…' : t }, t.slice(0, 300));
}

/** A status with the job's outcome where the API gives one besides it (e.g. succeeded + partial). */
export function statusBadges(status, outcome) {
  return outcome && outcome !== status && outcome !== 'completed' && outcome !== 'complete'
    ? h('span', { class: 'badges' }, badge(status), ' ', badge(outcome))
    : badge(status);
}

/** A message announced to screen readers and shown for a few seconds. */
export function toast(message, kind = 'info') {
  const host = document.getElementById('toasts');
  const t = h('div', { class: `toast toast-${kind}` }, message);
  host.appendChild(t);
  setTimeout(() => t.remove(), kind === 'error' ? 9000 : 5000);
}

/** An inline error for a failed call, with the problem's field errors. */
export function errorBox(error) {
  const fields = Object.entries(error.fieldErrors || {});
  return h('div', { class: 'error-box', role: 'alert' },
    h('strong', null, error.status ? `${error.status} ${error.problem.title || ''}` : 'Error'), ' ',
    error.message,
    fields.length ? h('ul', null, fields.map(([f, reasons]) => h('li', null, h('code', null, f), ': ', reasons.join(', ')))) : null);
}

/**
 * A modal confirmation (<dialog>: focus stays inside, Esc cancels). Resolves true on confirm.
 * extra: nodes (e.g. a reason field) shown above the buttons.
 */
export function confirmDialog({ title, body, confirmText, danger = false, extra = null }) {
  return new Promise((resolve) => {
    const confirm = h('button', { type: 'submit', class: danger ? 'button-danger' : 'button-primary', value: 'confirm' }, confirmText);
    const cancel = h('button', { type: 'button', class: 'button-quiet' }, 'Cancel');
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'dialog-title' },
      h('form', { method: 'dialog' },
        h('h2', { id: 'dialog-title' }, title),
        h('div', { class: 'dialog-body' }, body),
        extra,
        h('div', { class: 'dialog-actions' }, cancel, confirm)));
    cancel.addEventListener('click', () => dialog.close('cancel'));
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'confirm');
      dialog.remove();
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    (extra?.querySelector?.('input,textarea,select') || cancel).focus();
  });
}

/** A labelled form field: label + control (+ hint), the hint tied with aria-describedby. */
export function field(label, control, hint) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  const hintEl = hint ? h('div', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) { control.setAttribute('aria-describedby', hintEl.id); }
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl);
}

/** A table with a caption; rows is a list of arrays of cells (nodes or text). */
export function table(caption, headers, rows, { empty = 'Nothing to show.', className = '' } = {}) {
  if (rows.length === 0) {
    return h('p', { class: 'muted empty' }, empty);
  }
  return h('div', { class: 'table-wrap' },
    h('table', { class: className },
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', null, h('tr', null, headers.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, rows.map((r) => h('tr', null, r.map((c) => h('td', null, c)))))));
}
