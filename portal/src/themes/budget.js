// "Бюджет на карті": capital projects by status, sums per district and
// per year, and every project in a table (the list alternative of the map),
// from the published budget layer (WFS GetFeature as GeoJSON, only the
// fields shown here).
import GeoJSON from 'ol/format/GeoJSON.js';
import { barChart } from '../lib/chart.js';
import { classifierLabel } from '../lib/config.js';
import { el } from '../lib/dom.js';
import * as format from '../lib/format.js';
import { t, tr, currentLanguage } from '../lib/i18n.js';
import { getFeatures } from '../lib/ows.js';
import { dataTable } from '../lib/table.js';
import { categoryColour, classifierItems, sum } from './common.js';

const LAYER = 'budget_project';
const DISTRICTS = 'ref_district';
const FIELDS = ['id', 'title_uk', 'title_en', 'budget_year', 'district_id', 'planned_uah', 'actual_uah', 'project_status'];

function districtOf(project, districts) {
  const id = project.properties.district_id;
  if (id !== null && id !== undefined) {
    const byId = districts.find((d) => d.feature.properties.id === id);
    if (byId) return byId;
  }
  const coordinate = project.geometry?.coordinates;
  return coordinate ? districts.find((d) => d.geometry.intersectsCoordinate(coordinate)) || null : null;
}

function sumsTable(rows, keyLabel) {
  return el(
    'table',
    { class: 'sums' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, keyLabel), el('th', { scope: 'col' }, t('budget.count')), el('th', { scope: 'col' }, t('budget.planned')), el('th', { scope: 'col' }, t('budget.actual')))),
    el('tbody', {}, rows.map((r) => el('tr', {}, el('th', { scope: 'row' }, r.label), el('td', {}, format.number(r.count)), el('td', {}, format.number(r.planned)), el('td', {}, format.number(r.actual))))),
  );
}

function group(projects, keyOf) {
  const groups = new Map();
  for (const p of projects) {
    const key = keyOf(p);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(p);
  }
  return groups;
}

const totals = (items) => ({
  count: items.length,
  planned: sum(items.map((p) => p.properties.planned_uah)),
  actual: sum(items.map((p) => p.properties.actual_uah)),
});

export async function mount({ container, viewer, config, mapSpec, openFeature }) {
  const layer = mapSpec.layers.find((l) => l.name === LAYER);
  const [projects, districtFeatures] = await Promise.all([
    getFeatures(mapSpec.id, LAYER, { properties: FIELDS }),
    getFeatures(mapSpec.id, DISTRICTS, { properties: ['id', 'name_uk', 'name_en'] }),
  ]);
  const reader = new GeoJSON();
  const districts = districtFeatures.map((feature) => ({ feature, geometry: reader.readGeometry(feature.geometry) }));
  const all = totals(projects);
  container.append(
    el('p', { class: 'theme-summary' }, t('budget.total', { count: format.number(all.count), planned: format.money(all.planned), actual: format.money(all.actual) })),
  );

  // By status: bars coloured as on the map; pressing one filters the map.
  const byStatus = group(projects, (p) => p.properties.project_status);
  const showAll = el('button', { type: 'button', class: 'link-button', hidden: true }, t('budget.show_all'));
  const statusBars = classifierItems(config, 'project_status')
    .filter((s) => byStatus.has(s.code))
    .map((s) => ({
      key: s.code,
      label: s.label,
      value: totals(byStatus.get(s.code)).planned,
      title: `${s.label}: ${byStatus.get(s.code).length} · ${format.money(totals(byStatus.get(s.code)).planned)}`,
      colour: categoryColour(layer, s.code),
      onClick: () => {
        viewer.setFilter(LAYER, `"project_status" = '${s.code}'`);
        showAll.hidden = false;
      },
    }));
  const statusChart = barChart(statusBars, { label: t('budget.by_status'), format: format.millions });
  showAll.addEventListener('click', () => {
    viewer.setFilter(LAYER, null);
    statusChart.release();
    showAll.hidden = true;
  });
  container.append(el('h3', {}, t('budget.by_status')), statusChart, el('p', { class: 'muted small' }, t('budget.filter_hint'), ' ', showAll));

  // Per district (the project's district, or the district its point lies in).
  const byDistrict = group(projects, (p) => districtOf(p, districts));
  const districtName = (d) => (d ? (currentLanguage() === 'en' && d.feature.properties.name_en) || d.feature.properties.name_uk : t('budget.no_district'));
  const districtRows = [...byDistrict.entries()]
    .map(([d, items]) => ({ label: districtName(d), ...totals(items) }))
    .sort((a, b) => b.planned - a.planned);
  container.append(el('h3', {}, t('budget.by_district')), sumsTable(districtRows, t('budget.district')));

  // Per year.
  const byYear = group(projects, (p) => p.properties.budget_year);
  const yearRows = [...byYear.entries()].sort((a, b) => a[0] - b[0]).map(([year, items]) => ({ label: String(year), ...totals(items) }));
  container.append(
    el('h3', {}, t('budget.by_year')),
    barChart(yearRows.map((r) => ({ label: r.label, value: r.planned, colour: '#4e79a7' })), { label: t('budget.by_year'), format: format.millions, labelWidth: 60 }),
    sumsTable(yearRows, t('budget.year')),
  );

  // Every project: the list a keyboard and a screen reader use instead of the map.
  const en = currentLanguage() === 'en';
  const list = dataTable({
    caption: t('budget.projects'),
    className: 'projects',
    rows: projects,
    columns: [
      { key: 'title', label: t('budget.project'), value: (p) => (en && p.properties.title_en) || p.properties.title_uk },
      { key: 'year', label: t('budget.year'), value: (p) => p.properties.budget_year, text: (p) => String(p.properties.budget_year ?? '') },
      { key: 'status', label: t('budget.status'), value: (p) => classifierLabel(config, 'project_status', p.properties.project_status) },
      { key: 'planned', label: t('budget.planned'), numeric: true, value: (p) => p.properties.planned_uah, text: (p) => format.number(p.properties.planned_uah) },
      { key: 'actual', label: t('budget.actual'), numeric: true, value: (p) => p.properties.actual_uah, text: (p) => format.number(p.properties.actual_uah) },
    ],
    onOpen: (p) => openFeature(LAYER, p),
  });
  container.append(el('h3', {}, t('budget.projects')), list.element);
  container.dataset.ready = 'true';
  return { layerTitle: tr(layer.title), statusLabel: (code) => classifierLabel(config, 'project_status', code) };
}
