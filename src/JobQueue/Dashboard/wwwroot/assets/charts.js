// Inline SVG charts of per-minute counts (no library, no inline style: colours come from classes).
import { h, svg, number } from './dom.js';

const W = 720;
const PAD_LEFT = 44;
const PAD_BOTTOM = 20;

const hhmm = (d) => `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;

/** A round upper bound for the y axis. */
function niceMax(max) {
  if (max <= 4) { return 4; }
  const p = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((v) => v >= max);
}

/**
 * A stepped area chart of one series per minute.
 * points: [{at: ISO time, value: n}], kind: 'ok' | 'bad' (colour class), title: accessible name.
 */
export function minuteChart({ points, kind, title, height = 120 }) {
  const H = height;
  const n = points.length;
  const max = niceMax(Math.max(0, ...points.map((p) => p.value)));
  const plotW = W - PAD_LEFT;
  const plotH = H - PAD_BOTTOM - 6;
  const x = (i) => PAD_LEFT + (i / Math.max(n, 1)) * plotW;
  const y = (v) => 6 + plotH - (v / max) * plotH;

  let d = `M${x(0)},${y(0)}`;
  points.forEach((p, i) => { d += `L${x(i)},${y(p.value)}L${x(i + 1)},${y(p.value)}`; });
  d += `L${x(n)},${y(0)}Z`;

  const total = points.reduce((s, p) => s + p.value, 0);
  const peak = Math.max(0, ...points.map((p) => p.value));
  const summary = `${title}: ${number(total)} in total, at most ${number(peak)} in one minute`;
  const first = n ? new Date(points[0].at) : null;
  const last = n ? new Date(new Date(points[n - 1].at).getTime() + 60000) : null;
  const mid = n ? new Date((first.getTime() + last.getTime()) / 2) : null;

  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: `chart chart-${kind}`, role: 'img', 'aria-label': summary, preserveAspectRatio: 'none' },
    svg('title', null, summary),
    [0, 0.5, 1].map((f) => svg('line', { x1: PAD_LEFT, x2: W, y1: y(max * f), y2: y(max * f), class: 'chart-grid' })),
    [0, 0.5, 1].map((f) => svg('text', { x: PAD_LEFT - 6, y: y(max * f) + 4, class: 'chart-label', 'text-anchor': 'end' }, number(max * f))),
    svg('path', { d, class: 'chart-area' }),
    n ? [
      svg('text', { x: PAD_LEFT, y: H - 4, class: 'chart-label', 'text-anchor': 'start' }, hhmm(first)),
      svg('text', { x: PAD_LEFT + plotW / 2, y: H - 4, class: 'chart-label', 'text-anchor': 'middle' }, hhmm(mid)),
      svg('text', { x: W, y: H - 4, class: 'chart-label', 'text-anchor': 'end' }, `${hhmm(last)} UTC`),
    ] : null);
  return h('figure', { class: 'chart-figure' },
    h('figcaption', null, h('span', { class: `legend legend-${kind}`, 'aria-hidden': 'true' }), title,
      h('span', { class: 'muted' }, ` · ${number(total)} total, peak ${number(peak)}/min`)),
    chart);
}
