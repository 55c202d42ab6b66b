// The model registry: each model's versions with their metrics and source run, the production
// alias and its history; promote a version, roll production back.
import { el, getJson, post, toast, time } from './app.js';

export function modelsPage() {
  const page = document.getElementById('page');
  const list = el('div', { id: 'models' });
  page.append(el('h1', {}, 'Models'), list);
  list.append(el('p', { class: 'empty' }, 'Loading…'));
  let closed = false;

  async function load() {
    const models = await getJson('api/models');
    if (closed) return;
    list.replaceChildren(...models.map(model));
    if (models.length === 0) list.append(el('p', { class: 'empty' }, 'No model registered yet.'));
  }

  function model(m) {
    const production = m.production;
    const metricNames = [...new Set(m.versions.flatMap((v) => Object.keys(v.metrics)))].sort();
    const history = production ? [...production.history, production.version] : [];
    return el('div', { class: 'panel', 'data-model': m.name },
      el('div', { class: 'model-head' },
        el('h2', {}, m.name),
        production
          ? el('span', { id: `production-${m.name}`, 'data-version': production.version }, 'production: ', el('b', {}, `v${production.version}`),
            el('span', { class: 'muted' }, ` · ${production.change.toLowerCase()} ${time(production.changedAt)}`))
          : el('span', { class: 'muted', id: `production-${m.name}` }, 'no production version'),
        el('span', { class: 'actions' },
          el('button', { class: 'rollback', 'data-model': m.name, disabled: !production || production.history.length === 0,
            onclick: () => act(`api/models/${encodeURIComponent(m.name)}/rollback`, {}, `${m.name}: rolled back`) }, 'Roll back'))),
      production && production.reason ? el('p', { class: 'muted' }, production.reason) : null,
      history.length > 1 ? el('p', { class: 'muted' }, 'Production history: ', history.map((v) => `v${v}`).join(' → ')) : null,
      el('table', {},
        el('thead', {}, el('tr', {}, ['Version', ...metricNames, 'Source run', 'Registered', ''].map((h) => el('th', {}, h)))),
        el('tbody', {}, [...m.versions].reverse().map((v) => {
          const isProduction = production && production.version === v.version;
          return el('tr', { class: isProduction ? 'production' : null, 'data-version': v.version },
            el('td', {}, `v${v.version} `, isProduction ? el('span', { class: 'badge production' }, 'production') : null),
            ...metricNames.map((n) => el('td', {}, n in v.metrics ? Number(v.metrics[n]).toFixed(4) : '—')),
            el('td', {}, v.sourceRunId ? el('a', { href: '#/runs/' + encodeURIComponent(v.sourceRunId) }, el('code', {}, v.sourceRunId), v.sourceTaskId ? ` (${v.sourceTaskId})` : '') : '—'),
            el('td', {}, time(v.createdAt)),
            el('td', {}, el('button', { class: 'promote primary', 'data-version': v.version, disabled: isProduction,
              onclick: () => act(`api/models/${encodeURIComponent(m.name)}/promote`, { version: v.version }, `${m.name}: v${v.version} in production`) }, 'Promote')));
        }))));
  }

  async function act(url, body, done) {
    try {
      await post(url, body);
      toast(done);
    } catch (e) {
      toast(e.message, true);
    }
    load().catch(showError);
  }

  function showError(e) {
    list.replaceChildren(el('p', { class: 'error-text' }, 'Cannot load the models: ' + e.message));
  }

  const tick = setInterval(() => load().catch(showError), 3000);
  load().catch(showError);
  return { close() { closed = true; clearInterval(tick); } };
}
