// A run: its DAG with each task's live state, a bar per attempt on a time axis, the training
// curves, and the selected task's params, outputs, attempts and errors; pause, resume, cancel
// and retry.
import { el, fill, getJson, post, follow, debounce, toast, time, duration, badge, json } from './app.js';
import { drawDag } from './dag.js';
import { drawCharts } from './charts.js';
import { resolveParams } from './params.js';

export function runPage(runId) {
  const page = document.getElementById('page');
  const head = el('div', { class: 'panel', id: 'run-head' });
  const dag = el('div', { class: 'panel', id: 'dag' });
  const gantt = el('div', { class: 'panel gantt', id: 'gantt' });
  const details = el('div', { class: 'panel', id: 'task-details' });
  const charts = el('div', { class: 'charts', id: 'charts' });
  page.append(
    el('p', {}, el('a', { href: '#/runs' }, '← Runs')),
    head,
    el('div', { class: 'grid' }, el('div', {}, dag, gantt, charts), details));
  const state = { run: null, definition: null, events: new Map(), selected: null, plots: [], closed: false };

  async function loadRun() {
    const run = await getJson('/runs/' + encodeURIComponent(runId));
    if (!state.definition) {
      state.definition = await getJson(`api/definitions/${encodeURIComponent(run.workflowName)}/${run.workflowVersion}`);
    }
    if (state.closed) return;
    state.run = run;
    render();
  }

  async function loadEvents() {
    const events = await getJson(`api/runs/${encodeURIComponent(runId)}/events`);
    events.forEach(addEvent);
  }

  function addEvent(event) {
    state.events.set(event.sequence, event);
  }

  function sortedEvents() {
    return [...state.events.values()].sort((a, b) => a.sequence - b.sequence);
  }

  function render() {
    renderHead();
    const statuses = Object.fromEntries(Object.entries(state.run.tasks).map(([id, t]) => [id, t.status]));
    dag.replaceChildren(el('h2', {}, 'Graph'), drawDag(state.definition.tasks, statuses, state.selected, select));
    renderGantt();
    renderDetails();
    state.plots = drawCharts(charts, sortedEvents(), state.run.tasks, state.plots);
  }

  /** The run's params (defaults included) as RunStarted recorded them, else the definition's. */
  function runParams() {
    const started = sortedEvents().find((e) => e.type === 'RunStarted');
    return parseValues(started ? started.params : state.definition.params);
  }

  function select(taskId) {
    state.selected = taskId;
    render();
  }

  function renderHead() {
    const run = state.run;
    const started = sortedEvents().find((e) => e.type === 'RunStarted');
    fill(head,
      el('div', { class: 'run-head' },
        el('h1', {}, 'Run ', el('code', {}, run.runId)),
        badge(run.status),
        run.paused ? badge('PAUSED') : null,
        el('span', { class: 'muted' }, `${run.workflowName} v${run.workflowVersion}`),
        el('span', { class: 'muted' }, `started ${time(run.startedAt)} · ${duration(run.startedAt, run.finishedAt)}`),
        el('span', { class: 'actions' },
          run.paused
            ? el('button', { id: 'resume', onclick: () => act('resume') }, 'Resume')
            : el('button', { id: 'pause', disabled: run.status !== 'RUNNING', onclick: () => act('pause') }, 'Pause'),
          el('button', { id: 'cancel', class: 'danger', disabled: run.status !== 'RUNNING', onclick: () => act('cancel') }, 'Cancel'),
          el('button', { id: 'retry', disabled: run.status !== 'FAILED', onclick: () => act('retry') }, 'Retry'))),
      run.error ? el('p', { class: 'error-text' }, `${run.failedTaskId || 'run'}: ${run.error}`) : null,
      started ? el('details', {}, el('summary', {}, 'Run params'), json(parseValues(started.params))) : null);
  }

  async function act(action) {
    try {
      await post(`api/runs/${encodeURIComponent(runId)}/${action}`, {});
      toast(`${action[0].toUpperCase()}${action.slice(1)} requested`);
    } catch (e) {
      toast(`${action} failed: ${e.message}`, true);
    }
  }

  /** Each task's attempts from the events: scheduled, started, ended, outcome, error. */
  function attempts() {
    const byTask = new Map();
    const attempt = (taskId, n) => {
      if (!byTask.has(taskId)) byTask.set(taskId, new Map());
      const list = byTask.get(taskId);
      if (!list.has(n)) list.set(n, { attempt: n });
      return list.get(n);
    };
    for (const e of sortedEvents()) {
      if (e.type === 'TaskScheduled') attempt(e.taskId, e.attempt).scheduled = e.timestamp;
      else if (e.type === 'TaskStarted') Object.assign(attempt(e.taskId, e.attempt), { started: e.startedAt || e.timestamp, worker: e.workerId });
      else if (e.type === 'TaskSucceeded') Object.assign(attempt(e.taskId, e.attempt), { ended: e.timestamp, outcome: 'SUCCEEDED' });
      else if (e.type === 'TaskFailed') Object.assign(attempt(e.taskId, e.attempt), { ended: e.timestamp, outcome: 'FAILED', error: e.error });
      else if (e.type === 'TaskTimedOut') Object.assign(attempt(e.taskId, e.attempt), { ended: e.timestamp, outcome: 'TIMED_OUT', error: { errorClass: 'timeout', message: `no result within ${e.timeoutMs} ms` } });
      else if (e.type === 'TaskRetrying') attempt(e.taskId, e.nextAttempt).retryReason = e.reason;
    }
    return byTask;
  }

  function renderGantt() {
    const run = state.run;
    const byTask = attempts();
    const t0 = Date.parse(run.startedAt);
    const t1 = run.finishedAt ? Date.parse(run.finishedAt) : Date.now();
    const span = Math.max(1, t1 - t0);
    const pct = (iso) => Math.min(100, Math.max(0, ((Date.parse(iso) - t0) / span) * 100));
    const ids = Object.keys(run.tasks).sort((a, b) => (run.tasks[a].scheduledAt || '~').localeCompare(run.tasks[b].scheduledAt || '~') || a.localeCompare(b));
    const rows = ids.map((id) => {
      const task = run.tasks[id];
      let list = [...(byTask.get(id) || new Map()).values()].filter((a) => a.scheduled || a.started);
      if (list.length === 0 && task.scheduledAt) {
        list = [{ attempt: task.attempt, scheduled: task.scheduledAt, started: task.startedAt, ended: task.finishedAt, outcome: task.status }];
      }
      const track = el('div', { class: 'track' });
      const children = ids.filter((c) => c.startsWith(id + '['));
      if (children.length) {
        // a fan-out: its span, from its first child's start to its last child's end
        const starts = children.map((c) => run.tasks[c].startedAt).filter(Boolean).sort();
        const ends = children.map((c) => run.tasks[c].finishedAt || new Date().toISOString()).sort();
        if (starts.length) {
          track.append(el('div', { class: `bar span ${task.status}`, style: `left:${pct(starts[0])}%;width:${pct(ends[ends.length - 1]) - pct(starts[0])}%`,
            title: `${id}: ${children.length} children` }));
        }
        list = [];
      }
      for (const a of list) {
        const end = a.ended || (run.finishedAt || new Date().toISOString());
        const outcome = a.outcome || (a.started ? (run.finishedAt ? 'CANCELLED' : 'RUNNING') : 'wait');
        if (a.scheduled) {
          const until = a.started || end;
          track.append(el('div', { class: 'bar wait', style: `left:${pct(a.scheduled)}%;width:${pct(until) - pct(a.scheduled)}%`, title: `attempt ${a.attempt} waiting` }));
        }
        if (a.started) {
          track.append(el('div', { class: `bar ${outcome}`, 'data-attempt': a.attempt, style: `left:${pct(a.started)}%;width:${pct(end) - pct(a.started)}%`,
            title: `${id} attempt ${a.attempt}: ${outcome.toLowerCase()} after ${duration(a.started, end)}` }));
        }
      }
      return el('div', { class: 'row', 'data-task': id }, el('span', { class: 'label', title: id }, id), track);
    });
    gantt.replaceChildren(el('h2', {}, 'Timeline'), ...rows,
      el('div', { class: 'axis' }, el('span', {}, '0'), el('span', {}, duration(run.startedAt, run.finishedAt))));
  }

  function renderDetails() {
    const id = state.selected;
    if (!id || !state.run.tasks[id]) {
      details.replaceChildren(el('h2', {}, 'Task'), el('p', { class: 'empty' }, 'Select a task in the graph.'));
      return;
    }
    const task = state.run.tasks[id];
    const base = id.replace(/\[\d+\]$/, '');
    const def = state.definition.tasks.find((t) => t.id === base) || {};
    const list = [...(attempts().get(id) || new Map()).values()];
    fill(details,
      el('h2', {}, 'Task ', el('code', {}, id), ' ', badge(task.status)),
      el('dl', { class: 'kv' },
        el('dt', {}, 'type'), el('dd', {}, def.type || ''),
        el('dt', {}, 'attempt'), el('dd', {}, String(task.attempt)),
        el('dt', {}, 'worker'), el('dd', {}, task.workerId || '—'),
        el('dt', {}, 'scheduled'), el('dd', {}, time(task.scheduledAt)),
        el('dt', {}, 'started'), el('dd', {}, time(task.startedAt)),
        el('dt', {}, 'finished'), el('dd', {}, time(task.finishedAt)),
        def.when ? [el('dt', {}, 'when'), el('dd', {}, el('code', {}, def.when))] : null,
        def.forEach ? [el('dt', {}, 'forEach'), el('dd', {}, el('code', {}, def.forEach))] : null),
      task.error ? el('p', { class: 'error-text' }, task.error) : null,
      el('h2', {}, 'Params'),
      el('div', { id: 'task-params' }, json(resolveParams(def, id, state.run, runParams()))),
      el('details', {}, el('summary', { class: 'muted' }, 'as defined'), json(parseValues(def.params || {}))),
      el('h2', {}, 'Outputs'), json(task.outputs),
      el('h2', {}, 'Attempts'),
      list.length === 0 ? el('p', { class: 'muted' }, 'None recorded in the event log the UI has read.') : null,
      ...list.map((a) => el('div', { class: 'attempt', 'data-attempt': a.attempt },
        el('b', {}, `#${a.attempt} `), (a.outcome || (a.started ? 'running' : 'scheduled')).toLowerCase(),
        a.started ? ` · ${duration(a.started, a.ended)}` : '',
        a.worker ? el('span', { class: 'muted' }, ` · ${a.worker}`) : null,
        a.retryReason ? el('div', { class: 'muted' }, `retry: ${a.retryReason}`) : null,
        a.error ? el('div', { class: 'error-text' }, `${a.error.errorClass}: ${a.error.message}`) : null)));
  }

  const reload = debounce(() => loadRun().catch(showError), 150);
  function showError(e) {
    head.replaceChildren(el('p', { class: 'error-text' }, `Cannot load run ${runId}: ${e.message}`));
  }
  const stop = follow(runId, (event) => { addEvent(event); reload(); }, () => loadEvents().then(reload).catch(showError));
  const tick = setInterval(() => { if (state.run && state.run.status === 'RUNNING') renderGantt(); }, 1000);
  loadRun().catch(showError);
  return {
    close() {
      state.closed = true;
      stop();
      clearInterval(tick);
      state.plots.forEach((p) => p.destroy());
    },
  };
}

/** A definition's or a run's params: each value is JSON text. */
function parseValues(params) {
  const out = {};
  for (const [name, text] of Object.entries(params || {})) {
    try { out[name] = JSON.parse(text); } catch { out[name] = text; }
  }
  return out;
}
