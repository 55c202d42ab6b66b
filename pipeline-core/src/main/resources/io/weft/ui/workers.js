// Workers and task types: which types are served and by how many workers, the requests waiting
// for them, and the records of the dead-letter topic.
import { el, getJson } from './app.js';

export function workersPage() {
  const page = document.getElementById('page');
  const body = el('tbody', { id: 'task-types' });
  const dlq = el('p', { id: 'dead-letters' });
  page.append(
    el('h1', {}, 'Workers and task types'),
    el('div', { class: 'panel' }, el('table', {},
      el('thead', {}, el('tr', {}, ['Task type', 'Declared', 'Workers', 'Partitions', 'Backlog', 'Topic', 'Group'].map((h) => el('th', {}, h)))),
      body)),
    el('div', { class: 'panel' }, el('h2', {}, 'Dead letters'), dlq));
  body.append(el('tr', {}, el('td', { colspan: 7, class: 'empty' }, 'Loading…')));
  let closed = false;

  async function load() {
    const workers = await getJson('api/workers');
    if (closed) return;
    body.replaceChildren(...workers.taskTypes.map((t) => el('tr', { 'data-type': t.type },
      el('td', {}, el('b', {}, t.type)),
      el('td', {}, t.declared ? 'yes' : 'no'),
      el('td', { class: 'workers' }, String(t.workers)),
      el('td', {}, t.partitions === null ? '—' : String(t.partitions)),
      el('td', { class: 'backlog' }, t.backlog === null ? '—' : String(t.backlog)),
      el('td', {}, el('code', {}, t.topic)),
      el('td', {}, el('code', {}, t.group)))));
    if (workers.taskTypes.length === 0) body.append(el('tr', {}, el('td', { colspan: 7, class: 'empty' }, 'No task type is declared yet.')));
    dlq.replaceChildren(el('b', { class: 'count' }, String(workers.deadLetters)), ` records in `, el('code', {}, workers.deadLetterTopic),
      el('span', { class: 'muted' }, ' (records that could not be decoded or processed, with headers naming their origin)'));
  }

  function showError(e) {
    body.replaceChildren(el('tr', {}, el('td', { colspan: 7, class: 'error-text' }, 'Cannot load the workers: ' + e.message)));
  }

  const tick = setInterval(() => load().catch(showError), 5000);
  load().catch(showError);
  return { close() { closed = true; clearInterval(tick); } };
}
