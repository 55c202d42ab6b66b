// A workflow's DAG as SVG, left to right: each task in the column of its longest path from a root,
// ordered in its column by the mean row of its upstream tasks; fan-out children drawn as chips
// inside their parent.
const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 150;
const GAP_X = 44;
const GAP_Y = 22;
const CHIP = 12;
const CHIPS_PER_ROW = 10;

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Columns and rows of the tasks ({id, dependsOn}), as a Map id -> {column, row}. */
export function layout(tasks) {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const column = new Map();
  const depth = (id) => {
    if (!column.has(id)) {
      const ups = (byId.get(id).dependsOn || []).filter((u) => byId.has(u));
      column.set(id, ups.length ? Math.max(...ups.map(depth)) + 1 : 0);
    }
    return column.get(id);
  };
  tasks.forEach((t) => depth(t.id));
  const columns = [];
  tasks.forEach((t) => (columns[column.get(t.id)] ||= []).push(t.id));
  const row = new Map();
  columns.forEach((ids, c) => {
    if (c > 0) {
      const mean = (id) => {
        const ups = (byId.get(id).dependsOn || []).filter((u) => row.has(u));
        return ups.length ? ups.reduce((sum, u) => sum + row.get(u), 0) / ups.length : 0;
      };
      ids.sort((a, b) => mean(a) - mean(b));
    }
    ids.forEach((id, i) => row.set(id, i));
  });
  return new Map(tasks.map((t) => [t.id, { column: column.get(t.id), row: row.get(t.id) }]));
}

/**
 * The DAG of definition tasks, coloured by states (task id -> status, children included as
 * "id[i]"); onSelect(taskId) when a task or a child is clicked.
 */
export function drawDag(tasks, states, selected, onSelect) {
  const places = layout(tasks);
  const children = new Map(tasks.map((t) => [t.id, []]));
  for (const id of Object.keys(states)) {
    const m = id.match(/^(.+)\[(\d+)\]$/);
    if (m && children.has(m[1])) children.get(m[1]).push({ id, index: Number(m[2]) });
  }
  children.forEach((list) => list.sort((a, b) => a.index - b.index));
  const height = (id) => 46 + (children.get(id).length ? Math.ceil(children.get(id).length / CHIPS_PER_ROW) * (CHIP + 4) + 4 : 0);
  const columns = [];
  tasks.forEach((t) => (columns[places.get(t.id).column] ||= []).push(t.id));
  const box = new Map();
  let totalHeight = 0;
  columns.forEach((ids, c) => {
    ids.sort((a, b) => places.get(a).row - places.get(b).row);
    let y = 10;
    for (const id of ids) {
      box.set(id, { x: 10 + c * (WIDTH + GAP_X), y, h: height(id) });
      y += height(id) + GAP_Y;
    }
    totalHeight = Math.max(totalHeight, y);
  });
  const width = 20 + columns.length * (WIDTH + GAP_X) - GAP_X;
  const root = svg('svg', { class: 'dag', viewBox: `0 0 ${width} ${totalHeight}`, width, height: totalHeight, role: 'img', 'aria-label': 'Workflow graph' });
  for (const t of tasks) {
    for (const up of t.dependsOn || []) {
      const from = box.get(up);
      const to = box.get(t.id);
      if (!from || !to) continue;
      const x1 = from.x + WIDTH;
      const y1 = from.y + from.h / 2;
      const x2 = to.x;
      const y2 = to.y + to.h / 2;
      const mid = (x1 + x2) / 2;
      root.append(svg('path', { class: 'edge', d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`, 'data-from': up, 'data-to': t.id }));
    }
  }
  for (const t of tasks) {
    const { x, y, h } = box.get(t.id);
    const status = states[t.id] || 'PENDING';
    const g = svg('g', { class: `node ${status}${selected === t.id ? ' selected' : ''}`, 'data-task': t.id, 'data-status': status, transform: `translate(${x},${y})` });
    g.append(svg('rect', { class: 'box', width: WIDTH, height: h }));
    g.append(svg('text', { x: 10, y: 19, 'font-weight': 600 }, t.id));
    g.append(svg('text', { class: 'type', x: 10, y: 36 }, t.type));
    g.append(svg('title', {}, `${t.id} (${t.type}): ${status}`));
    g.addEventListener('click', () => onSelect(t.id));
    children.get(t.id).forEach((child, i) => {
      const chip = svg('rect', {
        class: `child ${states[child.id] || 'PENDING'}`, 'data-task': child.id, 'data-status': states[child.id] || 'PENDING',
        x: 10 + (i % CHIPS_PER_ROW) * (CHIP + 3), y: 46 + Math.floor(i / CHIPS_PER_ROW) * (CHIP + 4),
        width: CHIP, height: CHIP, rx: 2,
      });
      chip.append(svg('title', {}, `${child.id}: ${states[child.id]}`));
      chip.addEventListener('click', (e) => { e.stopPropagation(); onSelect(child.id); });
      g.append(chip);
    });
    root.append(g);
  }
  return root;
}
