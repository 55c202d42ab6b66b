// Training curves from the TaskProgressed events of a run: per task, its metrics by epoch (losses
// on the left axis, the rest on the right); per fan-out of trainings, one line per child for one
// metric, the child that a downstream task selected (its output "best") marked.
import { el } from './app.js';

const COLOURS = ['#2f7fd8', '#d64545', '#2e9d5b', '#e7a33e', '#8d6bc8', '#1aa3a3', '#c2478f', '#6b7385'];
// not curves: the epoch is the x axis, the speed has a scale of its own
const SKIPPED = new Set(['samplesPerSecond', 'epoch', 'step']);

/** The latest attempt's progress of each task: Map taskId -> [{step, metrics}] by step. */
export function progressByTask(events) {
  const latest = new Map();
  for (const e of events) {
    if (e.type !== 'TaskProgressed') continue;
    const seen = latest.get(e.taskId);
    if (!seen || e.attempt > seen.attempt) latest.set(e.taskId, { attempt: e.attempt, steps: new Map() });
    const entry = latest.get(e.taskId);
    if (e.attempt === entry.attempt) entry.steps.set(e.step, e.metrics || {});
  }
  const result = new Map();
  latest.forEach((entry, id) => result.set(id, [...entry.steps.entries()].sort((a, b) => a[0] - b[0]).map(([step, metrics]) => ({ step, metrics }))));
  return result;
}

/** Replaces the content of container with the charts of the run; returns the uPlot instances. */
export function drawCharts(container, events, runTasks, old = []) {
  old.forEach((chart) => chart.destroy());
  container.replaceChildren();
  const progress = progressByTask(events);
  const plots = [];
  const fanOuts = new Map();
  for (const [id, points] of progress) {
    const m = id.match(/^(.+)\[(\d+)\]$/);
    if (m) {
      if (!fanOuts.has(m[1])) fanOuts.set(m[1], []);
      fanOuts.get(m[1]).push([id, points]);
    } else {
      plots.push(taskChart(container, id, points));
    }
  }
  for (const [parent, children] of fanOuts) {
    children.sort((a, b) => childIndex(a[0]) - childIndex(b[0]));
    plots.push(tuningChart(container, parent, children, selectedChild(parent, runTasks)));
  }
  if (plots.length === 0) container.append(el('div', { class: 'panel' }, el('h2', {}, 'Progress'), el('p', { class: 'empty' }, 'No progress reported yet.')));
  return plots;
}

function childIndex(id) {
  return Number(id.slice(id.lastIndexOf('[') + 1, -1));
}

function selectedChild(parent, runTasks) {
  for (const task of Object.values(runTasks || {})) {
    const best = task.outputs && task.outputs.best;
    if (typeof best === 'string' && best.startsWith(parent + '[')) return best;
  }
  return null;
}

function frame(container, taskId, title, points) {
  const box = el('div', { class: 'panel chart', 'data-task': taskId, 'data-points': String(points) }, el('h2', {}, title));
  container.append(box);
  return box;
}

function taskChart(container, taskId, points) {
  const names = [...new Set(points.flatMap((p) => Object.keys(p.metrics)))].filter((n) => !SKIPPED.has(n)).sort();
  const box = frame(container, taskId, `${taskId}: metrics by epoch`, points.length);
  const isLoss = (name) => /loss/i.test(name);
  const data = [points.map((p) => p.step), ...names.map((n) => points.map((p) => (n in p.metrics ? p.metrics[n] : null)))];
  const series = [{ label: 'epoch' }, ...names.map((n, i) => ({
    label: n, scale: isLoss(n) ? 'loss' : 'ratio', stroke: COLOURS[i % COLOURS.length], width: 2, points: { show: true },
  }))];
  const axes = [EPOCH_AXIS];
  const scales = {};
  if (names.some(isLoss)) {
    axes.push({ scale: 'loss', label: 'loss' });
    scales.loss = {};
  }
  if (names.some((n) => !isLoss(n))) {
    axes.push({ scale: 'ratio', side: scales.loss ? 1 : 3, label: 'accuracy', grid: { show: !scales.loss } });
    scales.ratio = {};
  }
  return plot(box, series, axes, data, scales);
}

// whole epochs only on the x axis
const EPOCH_AXIS = { label: 'epoch', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] };

function tuningChart(container, parent, children, selected) {
  const all = children.flatMap(([, points]) => points);
  const names = new Set(all.flatMap((p) => Object.keys(p.metrics)));
  const metric = ['validationAccuracy', 'accuracy', 'loss'].find((n) => names.has(n)) || [...names][0];
  const steps = [...new Set(all.map((p) => p.step))].sort((a, b) => a - b);
  const box = frame(container, parent, `${parent}: ${metric} of each trial`, steps.length);
  box.dataset.selected = selected || '';
  const data = [steps, ...children.map(([, points]) => {
    const byStep = new Map(points.map((p) => [p.step, p.metrics[metric] ?? null]));
    return steps.map((s) => (byStep.has(s) ? byStep.get(s) : null));
  })];
  const series = [{ label: 'epoch' }, ...children.map(([id], i) => ({
    label: id === selected ? `★ ${id} (selected)` : id,
    stroke: COLOURS[i % COLOURS.length], width: id === selected ? 4 : 1.5, points: { show: true },
    dash: selected && id !== selected ? [6, 4] : undefined,
  }))];
  return plot(box, series, [EPOCH_AXIS, { label: metric }], data, {});
}

function plot(box, series, axes, data, scales) {
  box.dataset.series = series.slice(1).map((s) => s.label).join(',');
  const width = Math.max(320, box.clientWidth - 32);
  return new uPlot({ width, height: 240, series, axes, scales: { x: { time: false }, ...scales }, legend: { live: false } }, data, box);
}
