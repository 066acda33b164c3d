// Feature pop-ups from WMS GetFeatureInfo (INFO_FORMAT application/json):
// QGIS Server answers with the published attributes under the projects'
// Ukrainian aliases and classifier labels; the page orders them as the
// register declares and shows English labels when asked.
import Overlay from 'ol/Overlay.js';
import { byFieldName, classifierLabel, findLayer, PUBLICATION_FIELDS, translateLabel } from './config.js';
import { clear, el } from './dom.js';
import * as format from './format.js';
import { fetchJson } from './http.js';
import { t, tr } from './i18n.js';

const HIDDEN_FIELDS = new Set(['id', 'published_version']);

export function formatValue(config, field, value) {
  if (value === null || value === undefined || value === '' || value === 'NULL') return null;
  if (typeof value === 'boolean') return value ? t('value.yes') : t('value.no');
  if (field.classifier) {
    return config.classifiers?.[field.classifier]?.[value] ? classifierLabel(config, field.classifier, value) : translateLabel(config, field.classifier, value);
  }
  if (field.type === 'date') return format.date(value);
  if (field.type === 'datetime') return format.date(value);
  if (field.type === 'decimal' || field.type === 'integer') {
    return /_uah/.test(field.name) ? format.money(value) : format.number(value, 2);
  }
  return String(value);
}

/** A feature's rows as [label, text] in declaration order (empty values left out). */
export function featureRows(config, layer, properties) {
  const rows = [];
  for (const field of [...layer.fields, ...PUBLICATION_FIELDS]) {
    if (HIDDEN_FIELDS.has(field.name) || field.type === 'relation') continue;
    const text = formatValue(config, field, properties[field.name]);
    if (text !== null) rows.push([tr(field.label), text]);
  }
  return rows;
}

export function featureCard(config, layer, properties, actions = []) {
  const title = properties[layer.display] ?? tr(layer.title);
  return el(
    'article',
    { class: 'feature', dataset: { layer: layer.name } },
    el('h3', {}, formatValue(config, layer.fields.find((f) => f.name === layer.display) || {}, title) ?? ''),
    el('p', { class: 'feature-layer' }, tr(layer.title)),
    el('table', { class: 'attributes' }, el('tbody', {}, featureRows(config, layer, properties).map(([label, text]) => el('tr', {}, el('th', { scope: 'row' }, label), el('td', {}, text))))),
    actions.length ? el('div', { class: 'feature-actions' }, actions) : null,
  );
}

/**
 * Wire pop-ups to a viewer. actionsFor(layerName, properties, feature) may
 * return buttons a thematic view adds (e.g. "consumption trend").
 */
export function setupPopups(viewer, config, { actionsFor = () => [] } = {}) {
  const element = document.getElementById('popup');
  const content = element.querySelector('.popup-content');
  const overlay = new Overlay({ element, autoPan: { animation: { duration: 150 }, margin: 20 }, positioning: 'bottom-center', offset: [0, -12] });
  viewer.map.addOverlay(overlay);
  const close = () => {
    overlay.setPosition(undefined);
    element.hidden = true;
  };
  element.querySelector('.popup-close').addEventListener('click', close);
  let request = 0;

  viewer.map.on('singleclick', async (event) => {
    const queryLayers = viewer.visibleLayers();
    if (!queryLayers.length) return close();
    const url = viewer.source.getFeatureInfoUrl(event.coordinate, viewer.view.getResolution(), 'EPSG:3857', {
      INFO_FORMAT: 'application/json',
      QUERY_LAYERS: queryLayers.join(','),
      FEATURE_COUNT: 5,
      FI_POINT_TOLERANCE: 16,
      FI_LINE_TOLERANCE: 8,
      FI_POLYGON_TOLERANCE: 4,
      WITH_GEOMETRY: 'false',
    });
    const mine = ++request;
    clear(content).append(el('p', { class: 'muted' }, t('popup.loading')));
    element.hidden = false;
    overlay.setPosition(event.coordinate);
    try {
      const body = await fetchJson(url);
      if (mine !== request) return;
      clear(content);
      const cards = [];
      for (const feature of body.features || []) {
        const layerName = String(feature.id || '').replace(/\.[^.]*$/, '');
        const layer = findLayer(config, layerName);
        if (!layer) continue;
        const properties = byFieldName(layer, feature.properties);
        cards.push(featureCard(config, layer, properties, actionsFor(layerName, properties, feature)));
      }
      // Context layers (boundary, districts) only when nothing else is here.
      const context = new Set(config.context_layers || []);
      const specific = cards.filter((card) => !context.has(card.dataset.layer));
      if (specific.length) cards.splice(0, cards.length, ...specific);
      if (!cards.length) content.append(el('p', { class: 'muted' }, t('popup.nothing')));
      else content.append(...cards);
    } catch {
      if (mine !== request) return;
      clear(content).append(el('p', { class: 'error' }, t('popup.error')));
    }
  });
  return { close };
}
