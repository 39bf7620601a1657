// Sign-in: the admin token (kept in sessionStorage for this tab only, sent as a bearer token), and
// on the Azure Functions host a function key. Checked against the API before it is kept.
import { request, session } from '../api.js';
import { h, clear, field } from '../dom.js';

export function renderSignIn(main, { message, onSignedIn }) {
  clear(main);
  const token = h('input', { type: 'password', id: 'admin-token', name: 'admin-token', autocomplete: 'off', spellcheck: 'false' });
  const functionKey = h('input', { type: 'password', id: 'function-key', name: 'function-key', autocomplete: 'off', spellcheck: 'false' });
  const status = h('div', { id: 'signin-status', class: 'form-status', role: 'alert' }, message || '');
  const submit = h('button', { type: 'submit', class: 'button-primary' }, 'Sign in');
  const form = h('form', { class: 'signin-form', novalidate: true },
    field('Admin token', token, 'The admin API\'s bearer token (Key Vault secret admin-token). Kept in this browser tab only.'),
    field('Function key (optional)', functionKey, 'Only on the Azure Functions host: a function key of the app. Behind App Service Authentication the function key alone is enough.'),
    status,
    h('div', { class: 'form-actions' }, submit));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    // the token, or (behind App Service Authentication on the Functions host) the function key alone
    if (!token.value.trim() && !functionKey.value.trim()) {
      status.textContent = 'Enter the admin token.';
      token.setAttribute('aria-invalid', 'true');
      token.focus();
      return;
    }
    submit.disabled = true;
    status.textContent = 'Checking…';
    const credentials = { token: token.value.trim() || null, functionKey: functionKey.value.trim() || null };
    try {
      await request('GET', 'admin/job-queue/settings', { credentials });
      session.save(credentials.token, credentials.functionKey);
      await onSignedIn(credentials.token ? 'Signed in with the admin token' : 'Signed in with your organization account');
    } catch (err) {
      status.textContent = err.status === 401
        ? 'That admin token (or function key) was refused.'
        : err.status === 403 ? 'Your account lacks the admin role.' : `Sign-in failed: ${err.message}`;
      token.setAttribute('aria-invalid', 'true');
      submit.disabled = false;
      token.focus();
    }
  });

  main.append(h('section', { class: 'signin' },
    h('h1', null, 'Sign in to JobQueue'),
    h('p', { class: 'muted' }, 'Where the app runs behind App Service Authentication, signing in to your organization is enough: this form is then not shown.'),
    form));
  token.focus();
}
