// Energy efficiency: municipal buildings by certificate class, every
// building in a table, and the yearly consumption trend of a building (a
// non-spatial published table, read through OGC API Features).
import { barChart, lineChart } from '../lib/chart.js';
import { byFieldName, classifierLabel, queryName } from '../lib/config.js';
import { clear, el } from '../lib/dom.js';
import * as format from '../lib/format.js';
import { currentLanguage, t } from '../lib/i18n.js';
import { getFeatures, ogcItems } from '../lib/ows.js';
import { dataTable } from '../lib/table.js';
import { categoryColour, classifierItems } from './common.js';

const LAYER = 'energy_building';
const CONSUMPTION = 'energy_consumption';
const FIELDS = ['id', 'name_uk', 'name_en', 'address_text', 'energy_class'];

export async function mount({ container, config, mapSpec, showTheme, openFeature }) {
  const layer = mapSpec.layers.find((l) => l.name === LAYER);
  const table = mapSpec.tables.find((l) => l.name === CONSUMPTION);
  const buildings = await getFeatures(mapSpec.id, LAYER, { properties: FIELDS });
  const classes = classifierItems(config, 'energy_class');
  const counts = new Map();
  for (const b of buildings) counts.set(b.properties.energy_class ?? '', (counts.get(b.properties.energy_class ?? '') || 0) + 1);
  const bars = classes.map((c) => ({ label: c.label, value: counts.get(c.code) || 0, colour: categoryColour(layer, c.code) }));
  if (counts.get('')) bars.push({ label: t('energy.no_class'), value: counts.get(''), colour: '#bdbdbd' });
  container.append(el('h3', {}, t('energy.by_class')), barChart(bars, { label: t('energy.by_class'), format: (v) => format.number(v), labelWidth: 150 }));

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
      lineChart(
        years,
        [
          { label: t('energy.heat'), values: rows.map((r) => r.heat_gcal), colour: '#e15759' },
          { label: t('energy.electricity'), values: rows.map((r) => (r.electricity_kwh === null ? null : r.electricity_kwh / 1000)), colour: '#f28e2b' },
          { label: t('energy.cost'), values: rows.map((r) => (r.cost_uah === null ? null : r.cost_uah / 1000)), colour: '#4e79a7' },
        ],
        { label: t('energy.trend', { name }) },
      ),
      el(
        'table',
        { class: 'sums consumption' },
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('energy.year')), el('th', { scope: 'col' }, t('energy.heat')), el('th', { scope: 'col' }, t('energy.electricity')), el('th', { scope: 'col' }, t('energy.cost')))),
        el('tbody', {}, rows.map((r) => el('tr', {}, el('th', { scope: 'row' }, String(r.year)), el('td', {}, format.number(r.heat_gcal, 1)), el('td', {}, format.number(r.electricity_kwh / 1000, 1)), el('td', {}, format.number(r.cost_uah / 1000, 0))))),
      ),
    );
  }

  // Every building, by class: the certificate's class as a dark letter on white (readable whatever
  // the class colour, WCAG 1.4.3), beside a swatch of the map's colour of that class.
  const order = new Map(classes.map((c, n) => [c.code, n]));
  const name = (b) => (currentLanguage() === 'en' && b.properties.name_en) || b.properties.name_uk;
  const badge = (b) => {
    const colour = categoryColour(layer, b.properties.energy_class, '#bdbdbd');
    return el('span', { class: 'class-badge', style: `border-left-color:${colour}` }, b.properties.energy_class || '–');
  };
  const list = dataTable({
    caption: t('energy.buildings'),
    className: 'buildings',
    rows: [...buildings].sort((a, b) => (order.get(a.properties.energy_class) ?? 99) - (order.get(b.properties.energy_class) ?? 99)),
    columns: [
      { key: 'name', label: t('energy.building'), value: name },
      { key: 'class', label: t('energy.class'), value: (b) => order.get(b.properties.energy_class) ?? 99, text: badge },
      { key: 'address', label: t('energy.address'), value: (b) => b.properties.address_text || '' },
    ],
    onOpen: (b) => {
      showTrend(b.properties.id, b.properties.name_uk);
      openFeature(LAYER, b);
    },
  });
  container.append(trend, el('h3', {}, t('energy.buildings')), list.element);
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
