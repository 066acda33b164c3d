// Energy efficiency: municipal buildings by certificate class, and the
// yearly consumption trend of a building (a non-spatial published table,
// read through OGC API Features).
import { barChart, lineChart } from '../lib/chart.js';
import { byFieldName, classifierLabel, queryName } from '../lib/config.js';
import { clear, el } from '../lib/dom.js';
import * as format from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { getFeatures, ogcItems } from '../lib/ows.js';
import { categoryColour, classifierItems } from './common.js';

const LAYER = 'energy_building';
const CONSUMPTION = 'energy_consumption';

export async function mount({ container, viewer, config, mapSpec, showTheme }) {
  const layer = mapSpec.layers.find((l) => l.name === LAYER);
  const table = mapSpec.tables.find((l) => l.name === CONSUMPTION);
  const buildings = await getFeatures(mapSpec.id, LAYER);
  const classes = classifierItems(config, 'energy_class');
  const counts = new Map();
  for (const b of buildings) counts.set(b.properties.energy_class ?? '', (counts.get(b.properties.energy_class ?? '') || 0) + 1);
  const bars = classes.map((c) => ({ label: c.label, value: counts.get(c.code) || 0, colour: categoryColour(layer, c.code) }));
  if (counts.get('')) bars.push({ label: t('energy.no_class'), value: counts.get(''), colour: '#bdbdbd' });
  container.append(el('h3', {}, t('energy.by_class')), barChart(bars, { format: (v) => format.number(v), labelWidth: 150 }));

  const trend = el('section', { class: 'trend', 'aria-live': 'polite' }, el('p', { class: 'muted' }, t('energy.pick')));
  async function showTrend(id, name) {
    clear(trend).append(el('h3', {}, t('energy.trend', { name })), el('p', { class: 'muted' }, t('theme.loading')));
    let rows;
    try {
      const query = { [queryName(table, 'building_id')]: String(id) };
      rows = (await ogcItems(mapSpec.id, CONSUMPTION, query)).map((f) => byFieldName(table, f.properties));
    } catch {
      clear(trend).append(el('h3', {}, t('energy.trend', { name })), el('p', { class: 'error' }, t('theme.error')));
      return;
    }
    rows.sort((a, b) => a.year - b.year);
    clear(trend).append(el('h3', {}, t('energy.trend', { name })));
    if (!rows.length) {
      trend.append(el('p', { class: 'muted' }, t('energy.no_consumption')));
      return;
    }
    const years = rows.map((r) => r.year);
    trend.append(
      lineChart(years, [
        { label: t('energy.heat'), values: rows.map((r) => r.heat_gcal), colour: '#e15759' },
        { label: t('energy.electricity'), values: rows.map((r) => (r.electricity_kwh === null ? null : r.electricity_kwh / 1000)), colour: '#f28e2b' },
        { label: t('energy.cost'), values: rows.map((r) => (r.cost_uah === null ? null : r.cost_uah / 1000)), colour: '#4e79a7' },
      ]),
      el(
        'table',
        { class: 'sums consumption' },
        el('thead', {}, el('tr', {}, el('th', {}, t('energy.year')), el('th', {}, t('energy.heat')), el('th', {}, t('energy.electricity')), el('th', {}, t('energy.cost')))),
        el('tbody', {}, rows.map((r) => el('tr', {}, el('th', { scope: 'row' }, r.year), el('td', {}, format.number(r.heat_gcal, 1)), el('td', {}, format.number(r.electricity_kwh / 1000, 1)), el('td', {}, format.number(r.cost_uah / 1000, 0))))),
      ),
    );
  }

  const order = new Map(classes.map((c, n) => [c.code, n]));
  const sorted = [...buildings].sort((a, b) => (order.get(a.properties.energy_class) ?? 99) - (order.get(b.properties.energy_class) ?? 99));
  const list = el('ul', { class: 'item-list' });
  for (const b of sorted) {
    const p = b.properties;
    const badge = el('span', { class: 'class-badge', style: `background:${categoryColour(layer, p.energy_class, '#bdbdbd')}` }, p.energy_class || '–');
    const button = el('button', { type: 'button', class: 'item' }, badge, ' ', el('span', {}, p.name_uk), el('small', { class: 'muted' }, p.address_text));
    button.addEventListener('click', () => {
      viewer.showFeatures([b]);
      showTrend(p.id, p.name_uk);
    });
    list.append(el('li', {}, button));
  }
  container.append(trend, el('h3', {}, t('energy.buildings')), list);
  container.dataset.ready = 'true';

  return {
    actionsFor(layerName, properties) {
      if (layerName !== LAYER || properties.id === undefined) return [];
      const button = el('button', { type: 'button', class: 'link-button' }, t('energy.show_trend'));
      button.addEventListener('click', () => {
        showTheme();
        showTrend(properties.id, properties.name_uk);
      });
      return [button];
    },
    classLabel: (code) => classifierLabel(config, 'energy_class', code),
  };
}
