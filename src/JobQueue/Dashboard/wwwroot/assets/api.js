// The admin API, called with the signed-in credentials: the admin token as a bearer token (or
// nothing, where App Service Authentication signs the browser in), plus a Functions key on the
// Azure Functions host. Credentials live in sessionStorage and travel in headers, never in a URL.

const TOKEN_KEY = 'jobqueue.adminToken';
const FUNCTION_KEY = 'jobqueue.functionKey';

/** The API's base path: the dashboard is served at /api/dashboard/ (both hosts) or at / (the server). */
export const apiBase = (() => {
  const path = window.location.pathname;
  const i = path.lastIndexOf('/dashboard/');
  return i >= 0 ? path.slice(0, i + 1) : '/api/';
})();

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }

  /** Field errors of a 400 ({field: [reason]}). */
  get fieldErrors() {
    return this.problem.errors || {};
  }
}

let onUnauthorized = () => {};

export const session = {
  get token() { return sessionStorage.getItem(TOKEN_KEY); },
  get functionKey() { return sessionStorage.getItem(FUNCTION_KEY); },
  save(token, functionKey) {
    if (token) { sessionStorage.setItem(TOKEN_KEY, token); } else { sessionStorage.removeItem(TOKEN_KEY); }
    if (functionKey) { sessionStorage.setItem(FUNCTION_KEY, functionKey); } else { sessionStorage.removeItem(FUNCTION_KEY); }
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(FUNCTION_KEY);
  },
  /** Called when the API answers 401 to a signed-in page. */
  onUnauthorized(handler) { onUnauthorized = handler; },
};

function headers(credentials, hasBody) {
  const h = { Accept: 'application/json' };
  if (hasBody) { h['Content-Type'] = 'application/json'; }
  if (credentials.token) { h.Authorization = `Bearer ${credentials.token}`; }
  if (credentials.functionKey) { h['x-functions-key'] = credentials.functionKey; }
  return h;
}

/** One call; resolves to the JSON body, rejects with ApiError (status 0: the server was not reached). */
export async function request(method, path, { query, body, credentials } = {}) {
  const url = new URL(apiBase + path, window.location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') { url.searchParams.set(k, String(v)); }
  }
  const creds = credentials || { token: session.token, functionKey: session.functionKey };
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: headers(creds, body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, { title: 'Network error', detail: `the server could not be reached (${e.message})` });
  }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = { detail: text.slice(0, 200) }; }
  if (!response.ok) {
    const error = new ApiError(response.status, json);
    if (response.status === 401 && !credentials) { onUnauthorized(error); }
    throw error;
  }
  return json;
}

export const api = {
  get: (path, query) => request('GET', path, { query }),
  post: (path, body) => request('POST', path, { body: body ?? {} }),
  put: (path, body) => request('PUT', path, { body }),
};
