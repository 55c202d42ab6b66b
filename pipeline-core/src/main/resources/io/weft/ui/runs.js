// The runs page: newest first, filtered by workflow and status, with the count of each status,
// reloaded as the event log says runs start, move and finish.
import { el, getJson, follow, debounce, time, duration, badge } from './app.js';

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];

export function runsPage() {
  const page = document.getElementById('page');
  const filter = { status: sessionStorage.getItem('runs.status') || '', workflow: sessionStorage.getItem('runs.workflow') || '' };
  const counts = el('div', { class: 'counts', id: 'counts' });
  const workflows = el('select', { id: 'workflow-filter', 'aria-label': 'Workflow' });
  const statuses = el('select', { id: 'status-filter', 'aria-label': 'Status' },
    el('option', { value: '' }, 'any status'), STATUSES.map((s) => el('option', { value: s }, s.toLowerCase())));
  statuses.value = filter.status;
  const body = el('tbody', { id: 'runs' });
  page.append(
    el('h1', {}, 'Runs'),
    counts,
    el('div', { class: 'filters' }, 'Workflow', workflows, 'Status', statuses),
    el('div', { class: 'panel' }, el('table', {},
      el('thead', {}, el('tr', {}, ['Run', 'Workflow', 'Status', 'Tasks', 'Started', 'Duration'].map((h) => el('th', {}, h)))),
      body)));
  let closed = false;

  async function load() {
    const query = '/runs?limit=500' + (filter.status ? '&status=' + filter.status : '');
    const [runs, totals] = await Promise.all([getJson(query), getJson('/run-counts')]);
    if (closed) return;
    renderCounts(totals);
    renderWorkflows(runs);
    const shown = runs.filter((r) => !filter.workflow || r.workflowName === filter.workflow);
    body.replaceChildren(...shown.map(row));
    if (shown.length === 0) body.append(el('tr', {}, el('td', { colspan: 6, class: 'empty' }, 'No runs yet.')));
  }

  function renderCounts(totals) {
    counts.replaceChildren(...STATUSES.map((status) => el('div', {
      class: 'count' + (filter.status === status ? ' selected' : ''), 'data-status': status,
      onclick: () => { filter.status = filter.status === status ? '' : status; statuses.value = filter.status; save(); },
    }, el('b', {}, String(totals[status] ?? 0)), status.toLowerCase())));
  }

  function renderWorkflows(runs) {
    const names = [...new Set(runs.map((r) => r.workflowName))].sort();
    if (filter.workflow && !names.includes(filter.workflow)) names.push(filter.workflow);
    workflows.replaceChildren(el('option', { value: '' }, 'all workflows'), ...names.map((n) => el('option', { value: n }, n)));
    workflows.value = filter.workflow;
  }

  function row(run) {
    const tasks = Object.values(run.tasks);
    const done = tasks.filter((t) => t.status === 'SUCCEEDED' || t.status === 'SKIPPED').length;
    return el('tr', { class: 'link', 'data-run-id': run.runId, 'data-status': run.status,
      onclick: () => { location.hash = '#/runs/' + encodeURIComponent(run.runId); } },
    el('td', {}, el('a', { href: '#/runs/' + encodeURIComponent(run.runId) }, el('code', {}, run.runId))),
    el('td', {}, `${run.workflowName} v${run.workflowVersion}`),
    el('td', {}, badge(run.status)),
    el('td', {}, `${done} / ${tasks.length}`),
    el('td', {}, time(run.startedAt)),
    el('td', {}, duration(run.startedAt, run.finishedAt)));
  }

  function save() {
    sessionStorage.setItem('runs.status', filter.status);
    sessionStorage.setItem('runs.workflow', filter.workflow);
    reload();
  }

  statuses.addEventListener('change', () => { filter.status = statuses.value; save(); });
  workflows.addEventListener('change', () => { filter.workflow = workflows.value; save(); });
  const reload = debounce(() => load().catch(showError), 250);
  function showError(e) {
    body.replaceChildren(el('tr', {}, el('td', { colspan: 6, class: 'error-text' }, 'Cannot load the runs: ' + e.message)));
  }
  const stop = follow(null, reload, reload);
  const tick = setInterval(reload, 10000);
  load().catch(showError);
  return { close() { closed = true; stop(); clearInterval(tick); } };
}
