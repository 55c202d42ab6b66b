// Weft's web UI: a page per route (#/runs, #/runs/<id>, #/models, #/workers), each reading the
// coordinator's query API and following the event log through server-sent events.
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
route();

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
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || `${url}: HTTP ${response.status}`);
  return body;
}

/** An action: POSTs JSON, as the API requires; throws with the API's error message. */
export async function post(url, body = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error || answer.reason || `HTTP ${response.status}`);
  return answer;
}

/**
 * Follows the event log (of one run, or all): calls onEvent with each event. The browser's
 * EventSource reconnects by itself; onOpen runs after every (re)connection, to reload what a
 * page shows. Returns a function that stops following.
 */
export function follow(runId, onEvent, onOpen) {
  const live = document.getElementById('live');
  const source = new EventSource('api/events' + (runId ? '?runId=' + encodeURIComponent(runId) : ''));
  source.onopen = () => {
    live.textContent = 'live';
    live.classList.add('on');
    if (onOpen) onOpen();
  };
  source.onmessage = (message) => onEvent(JSON.parse(message.data));
  source.onerror = () => {
    live.textContent = 'reconnecting…';
    live.classList.remove('on');
  };
  return () => {
    source.close();
    live.textContent = '';
    live.classList.remove('on');
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
