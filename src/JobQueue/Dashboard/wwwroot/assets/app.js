// The dashboard shell: sign-in, the navigation, the paused banner, and a hash router
// (#/, #/jobs?status=failed, #/jobs/<id>, #/status, #/cron, #/cutover, #/audit).
import { api, request, session } from './api.js';
import { h, clear, toast, time } from './dom.js';
import { renderSignIn } from './pages/signin.js';
import { renderOverview } from './pages/overview.js';
import { renderJobs } from './pages/jobs.js';
import { renderJob } from './pages/job.js';
import { renderStatus } from './pages/status.js';
import { renderCron } from './pages/cron.js';
import { renderParity } from './pages/parity.js';
import { renderAudit } from './pages/audit.js';
import { triggerText } from './trigger.js';

const main = document.getElementById('main');
const banner = document.getElementById('banner');
const nav = document.getElementById('nav');
let cleanup = null;
let bannerTimer = null;
let signedIn = false;

const routes = [
  { pattern: /^\/?$/, title: 'Overview', render: renderOverview },
  { pattern: /^\/jobs\/([^/]+)$/, title: 'Job', render: renderJob },
  { pattern: /^\/jobs$/, title: 'Jobs', render: renderJobs },
  { pattern: /^\/status$/, title: 'Job status', render: renderStatus },
  { pattern: /^\/cron$/, title: 'Cron jobs', render: renderCron },
  { pattern: /^\/cutover$/, title: 'Cut-over parity', render: renderParity },
  { pattern: /^\/audit$/, title: 'Audit log', render: renderAudit },
];

/** The current route: path and query of the hash. */
export function currentRoute() {
  const hash = window.location.hash.startsWith('#/') ? window.location.hash.slice(1) : '/';
  const [path, query = ''] = hash.split('?');
  return { path, query: new URLSearchParams(query) };
}

/** Navigates to a hash route (adds a history entry). */
export function go(path, query) {
  const q = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString() : '';
  window.location.hash = '#' + path + (q ? '?' + q : '');
}

async function render({ focus = true } = {}) {
  if (cleanup) { cleanup(); cleanup = null; }
  if (!signedIn) { return; }
  const { path, query } = currentRoute();
  const route = routes.find((r) => r.pattern.test(path));
  for (const a of nav.querySelectorAll('a')) {
    const target = a.getAttribute('href').slice(1);
    const active = target === '/' ? path === '/' || path === '' : path.startsWith(target);
    if (active) { a.setAttribute('aria-current', 'page'); } else { a.removeAttribute('aria-current'); }
  }
  clear(main);
  if (!route) {
    main.append(h('h1', null, 'Not found'), h('p', null, 'No such page. ', h('a', { href: '#/' }, 'Go to the overview')));
    return;
  }
  document.title = `${route.title} · JobQueue`;
  const match = path.match(route.pattern);
  try {
    cleanup = (await route.render(main, { params: match.slice(1).map(decodeURIComponent), query, go, refreshBanner })) || null;
  } catch (e) {
    main.append(h('div', { class: 'error-box', role: 'alert' }, `This page failed to load: ${e.message}`));
  }
  if (focus) {
    // keyboard and screen reader users land on the new page's heading
    const heading = main.querySelector('h1');
    if (heading) { heading.setAttribute('tabindex', '-1'); heading.focus({ preventScroll: true }); }
  }
}

/** The paused banner (every page): shown while processing is paused, with a Resume button. */
export async function refreshBanner() {
  let settings;
  try {
    settings = await api.get('admin/job-queue/settings');
  } catch {
    return null;
  }
  clear(banner);
  if (settings.processingEnabled) {
    banner.hidden = true;
    return settings;
  }
  const resume = h('button', { type: 'button', class: 'button-primary', id: 'banner-resume' }, 'Resume processing');
  resume.addEventListener('click', async () => {
    resume.disabled = true;
    try {
      await api.put('admin/job-queue/settings', { processingEnabled: true });
      toast('Processing resumed', 'success');
      await refreshBanner();
      await render({ focus: false });
    } catch (e) {
      toast(`Could not resume: ${e.message}`, 'error');
      resume.disabled = false;
    }
  });
  banner.append(
    h('span', { class: 'banner-icon', 'aria-hidden': 'true' }, '⏸'),
    h('p', null,
      h('strong', null, 'Processing is paused.'), ' ',
      settings.pausedReason ? `Reason: ${settings.pausedReason}. ` : '',
      'Paused', settings.updatedBy ? ` by ${triggerText(settings.updatedBy)}` : '', ' at ', time(settings.updatedAt),
      '. Due jobs wait until it is resumed.'),
    resume);
  banner.hidden = false;
  return settings;
}

async function enter(who) {
  signedIn = true;
  document.getElementById('who').textContent = who;
  nav.hidden = false;
  document.getElementById('session').hidden = false;
  await refreshBanner();
  clearInterval(bannerTimer);
  bannerTimer = setInterval(refreshBanner, 30000);
  await render();
}

function leave(message) {
  signedIn = false;
  clearInterval(bannerTimer);
  if (cleanup) { cleanup(); cleanup = null; }
  nav.hidden = true;
  banner.hidden = true;
  document.getElementById('session').hidden = true;
  document.title = 'Sign in · JobQueue';
  renderSignIn(main, { message, onSignedIn: enter });
}

async function start() {
  session.onUnauthorized(() => {
    session.clear();
    leave('Your session has ended (the admin token was refused). Sign in again.');
  });
  document.getElementById('sign-out').addEventListener('click', () => {
    session.clear();
    leave('Signed out.');
  });
  document.getElementById('skip-link').addEventListener('click', (e) => {
    e.preventDefault();
    main.focus();
  });
  window.addEventListener('hashchange', () => render());

  if (session.token) {
    try {
      await api.get('admin/job-queue/settings');
      await enter('Signed in with the admin token');
      return;
    } catch {
      session.save(null, session.functionKey);
    }
  }
  // App Service Authentication: the platform signs the browser in and adds the principal itself
  try {
    await request('GET', 'admin/job-queue/settings', { credentials: { functionKey: session.functionKey } });
    await enter('Signed in with your organization account');
  } catch {
    leave(null);
  }
}

start();
