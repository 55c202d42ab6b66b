// A task's params as its attempt saw them: the definition's templates with their references
// (${params.x}, ${tasks.<id>.outputs.<name>}, ${item}, each with .<field> or .<index> steps)
// replaced from the run's params, its tasks' outputs and the fan-out's items, as the coordinator
// resolves them. A reference that cannot be resolved here (an output not there yet) stays as
// written.
const REFERENCE = /\$\{\s*([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)\s*\}/g;
const WHOLE = /^\$\{\s*([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)\s*\}$/;
const MISSING = Symbol('missing');

/** JSON text of each param, resolved for the task taskId of the run (children included). */
export function resolveParams(definitionTask, taskId, run, runParams) {
  const context = { params: runParams, tasks: run.tasks, item: MISSING };
  const child = taskId.match(/\[(\d+)\]$/);
  if (child && definitionTask.forEach) {
    const source = definitionTask.forEach.match(WHOLE);
    const items = source ? lookup(context, source[1]) : MISSING;
    if (Array.isArray(items)) context.item = items[Number(child[1])];
  }
  const resolved = {};
  for (const [name, text] of Object.entries(definitionTask.params || {})) {
    let value;
    try { value = JSON.parse(text); } catch { value = text; }
    resolved[name] = resolveValue(value, context);
  }
  return resolved;
}

function resolveValue(value, context) {
  if (typeof value === 'string') return resolveString(value, context);
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, context));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(v, context)]));
  }
  return value;
}

function resolveString(text, context) {
  if (text.includes('$${')) return text; // escaped: shown as written
  const whole = text.match(WHOLE);
  if (whole) {
    const value = lookup(context, whole[1]);
    return value === MISSING ? text : value;
  }
  return text.replace(REFERENCE, (written, path) => {
    const value = lookup(context, path);
    if (value === MISSING) return written;
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}

function lookup(context, path) {
  const [root, ...steps] = path.split('.');
  let value;
  if (root === 'params') {
    value = context.params;
  } else if (root === 'tasks') {
    const task = context.tasks[steps.shift()];
    if (!task || steps.shift() !== 'outputs') return MISSING;
    value = task.outputs;
  } else if (root === 'item') {
    value = context.item;
  } else {
    return MISSING;
  }
  for (const step of steps) {
    if (value === MISSING || value === null || typeof value !== 'object') return MISSING;
    value = Array.isArray(value) ? value[Number(step)] : value[step];
    if (value === undefined) return MISSING;
  }
  return value;
}
