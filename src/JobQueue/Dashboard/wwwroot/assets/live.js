// Live updates: a page's data is loaded again every few seconds while the tab is visible
// (document.visibilityState), without reloading the page; a button pauses and resumes it (the choice
// holds for this tab). A round is skipped while a dialog is open or the keyboard focus is inside the
// part that would be replaced, so that nothing moves under the user's hands.
import { h } from './dom.js';

const PAUSED_KEY = 'jobqueue.livePaused';
export const LIVE_SECONDS = 5;

const isPaused = () => sessionStorage.getItem(PAUSED_KEY) === '1';

/**
 * Calls load() every LIVE_SECONDS while visible and not paused. regions: the element(s) load() replaces.
 * Returns {controls (the status text and the pause button), stop()}.
 */
export function liveRefresh(load, regions) {
  const replaced = [].concat(regions || []);
  const status = h('span', { class: 'muted live-status', id: 'live-status' });
  const button = h('button', { type: 'button', class: 'button-quiet button-small', id: 'live-toggle' });
  let timer = null;
  let stopped = false;
  let running = false;

  const show = () => {
    const paused = isPaused();
    status.textContent = paused ? 'Live updates paused' : `Live: every ${LIVE_SECONDS} s`;
    status.dataset.live = String(!paused);
    button.textContent = paused ? 'Resume live updates' : 'Pause live updates';
  };
  const busy = () => document.querySelector('dialog[open]')
    || replaced.some((r) => r.contains(document.activeElement) && document.activeElement !== r);
  const schedule = () => {
    clearTimeout(timer);
    timer = null;
    if (!stopped && !isPaused() && document.visibilityState === 'visible') { timer = setTimeout(tick, LIVE_SECONDS * 1000); }
  };
  async function tick() {
    if (stopped) { return; }
    if (!running && !busy()) {
      running = true;
      try { await load(); } catch { /* the page shows its own error */ } finally { running = false; }
    }
    schedule();
  }
  const onVisibility = () => {
    if (document.visibilityState === 'visible' && !isPaused()) { tick(); } else { clearTimeout(timer); }
  };

  button.addEventListener('click', () => {
    if (isPaused()) { sessionStorage.removeItem(PAUSED_KEY); } else { sessionStorage.setItem(PAUSED_KEY, '1'); }
    show();
    if (isPaused()) { clearTimeout(timer); } else { tick(); }
  });
  document.addEventListener('visibilitychange', onVisibility);
  show();
  schedule();
  return {
    controls: h('span', { class: 'live' }, status, button),
    stop() {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    },
  };
}
