// Weft's web UI: a page per route (#/runs, #/runs/<id>, #/models, #/workers), each reading the
// coordinator's query API and following the event log through server-sent events. When the
// coordinator asks for a bearer token (weft.http.auth.tokens.file), the page asks for one on the
// first 401 and sends it with every request; it is kept in this tab's sessionStorage only.
import { runsPage } from './runs.js';
import { runPage } from './run.js';
import { modelsPage } from './models.js';
import { workersPage } from './workers.js';

const routes = [
  [/^#\/runs\/(.+)$/, (m) => runPage(decodeURIComponent(m[1])), 'runs'],
  [/^#\/models$/, () => modelsPage(), 'models'],
  [/^#\/workers$/, () => workersPage(), 'workers'],
  [/^(#\/runs)?$/, () => runsPage(), 'runs'],
];

let current = null;

/** Where the bearer token is kept: this tab's sessionStorage. */
const TOKEN_KEY = 'weft.token';

async function route() {
  if (current) {
    current.close();
    current = null;
  }
  const page = document.getElementById('page');
  page.replaceChildren();
  for (const [pattern, open, nav] of routes) {
    const m = location.hash.match(pattern);
    if (m) {
      document.querySelectorAll('header nav a').forEach((a) => a.classList.toggle('active', a.dataset.nav === nav));
      current = open(m);
      return;
    }
  }
  page.append(el('p', { class: 'empty' }, 'No such page: ' + location.hash));
}

window.addEventListener('hashchange', route);
showForgetToken();
route();

// ---- the bearer token -----------------------------------------------------------------------------


function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** headers, with the token's Authorization if there is one. */
function withToken(headers) {
  const t = token();
  return t ? { ...headers, Authorization: 'Bearer ' + t } : headers;
}

/** A 401: the token (if any) is not good; ask for one, once. */
function unauthorized(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  showForgetToken();
  if (document.getElementById('token-form')) return;
  const input = el('input', { type: 'password', id: 'token-input', autocomplete: 'off', 'aria-label': 'Bearer token', placeholder: 'token' });
  const form = el('form', {
    id: 'token-form', class: 'token-form',
    onsubmit: (e) => {
      e.preventDefault();
      if (!input.value.trim()) return;
      sessionStorage.setItem(TOKEN_KEY, input.value.trim());
      form.remove();
      showForgetToken();
      route();
    },
  },
  el('p', {}, el('b', {}, 'This Weft asks for a token. '), message || ''),
  el('p', { class: 'hint' }, 'Reading runs needs the read scope; cancelling, retrying and promoting need write. The token stays in this tab.'),
  input, el('button', { type: 'submit' }, 'Use token'));
  document.body.append(form);
  input.focus();
}

/** The header's button that forgets the token, shown while there is one. */
function showForgetToken() {
  let button = document.getElementById('forget-token');
  if (!button) {
    button = el('button', { id: 'forget-token', class: 'forget-token', type: 'button',
      onclick: () => { sessionStorage.removeItem(TOKEN_KEY); location.reload(); } }, 'Forget token');
    document.querySelector('header').append(button);
  }
  button.hidden = !token();
}

// ---- shared helpers -----------------------------------------------------------------------------

/** An element with attributes and children (strings become text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** Replaces node's children, leaving out null and undefined ones. */
export function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined));
}

export async function getJson(url) {
  const response = await fetch(url, { headers: withToken({ Accept: 'application/json' }) });
  const body = await response.json().catch(() => ({}));
  if (response.status === 401) unauthorized(body.error);
  if (!response.ok) throw new Error(body.error || `${url}: HTTP ${response.status}`);
  return body;
}

/** An action: POSTs JSON, as the API requires; throws with the API's error message. */
export async function post(url, body = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: withToken({ 'Content-Type': 'application/json' }),
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (response.status === 401) unauthorized(answer.error);
  if (!response.ok) throw new Error(answer.error || answer.reason || `HTTP ${response.status}`);
  return answer;
}

/**
 * Follows the event log (of one run, or all): calls onEvent with each event. It reconnects by
 * itself; onOpen runs after every (re)connection, to reload what a page shows. Returns a function
 * that stops following.
 */
export function follow(runId, onEvent, onOpen) {
  const live = document.getElementById('live');
  const url = 'api/events' + (runId ? '?runId=' + encodeURIComponent(runId) : '');
  const opened = () => {
    live.textContent = 'live';
    live.classList.add('on');
    if (onOpen) onOpen();
  };
  const broken = () => {
    live.textContent = 'reconnecting…';
    live.classList.remove('on');
  };
  const stop = token() ? streamWithToken(url, onEvent, opened, broken) : eventSource(url, onEvent, opened, broken);
  return () => {
    stop();
    live.textContent = '';
    live.classList.remove('on');
  };
}

/** The browser's EventSource, which reconnects by itself but cannot send a token. */
function eventSource(url, onEvent, opened, broken) {
  const source = new EventSource(url);
  source.onopen = opened;
  source.onmessage = (message) => onEvent(JSON.parse(message.data));
  source.onerror = broken;
  return () => source.close();
}

/** Server-sent events read with fetch, which sends the token; reconnects 2 s after a break. */
function streamWithToken(url, onEvent, opened, broken) {
  const controller = new AbortController();
  let stopped = false;
  (async () => {
    while (!stopped) {
      try {
        const response = await fetch(url, { headers: withToken({ Accept: 'text/event-stream' }), signal: controller.signal });
        if (response.status === 401) {
          unauthorized((await response.json().catch(() => ({}))).error);
          return;
        }
        if (!response.ok) throw new Error('HTTP ' + response.status);
        opened();
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = frame.split('\n').filter((line) => line.startsWith('data:'))
              .map((line) => line.slice(5).replace(/^ /, '')).join('\n');
            if (data) onEvent(JSON.parse(data));
          }
        }
      } catch (e) {
        if (stopped) return;
      }
      broken();
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  })();
  return () => {
    stopped = true;
    controller.abort();
  };
}

/** Calls fn at most once per delay, after the last of a burst of calls. */
export function debounce(fn, delay) {
  let timer = null;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, delay);
  };
}

export function toast(message, bad = false) {
  const note = el('div', { class: 'toast' + (bad ? ' bad' : ''), role: 'status' }, message);
  document.body.append(note);
  setTimeout(() => note.remove(), 4000);
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleString() : '—';
}

export function duration(fromIso, toIso) {
  if (!fromIso) return '—';
  const ms = (toIso ? Date.parse(toIso) : Date.now()) - Date.parse(fromIso);
  if (ms < 1000) return ms + ' ms';
  const s = ms / 1000;
  if (s < 60) return s.toFixed(1) + ' s';
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function badge(status) {
  return el('span', { class: 'badge ' + status }, status.replace('_', ' ').toLowerCase());
}

export function json(value) {
  return el('pre', {}, JSON.stringify(value, null, 2));
}
