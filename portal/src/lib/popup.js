// Feature pop-ups from WMS GetFeatureInfo (INFO_FORMAT application/json):
// QGIS Server answers with the published attributes under the projects'
// Ukrainian aliases and classifier labels; the page orders them as the
// register declares and shows English labels when asked.
//
// The pop-up is a dialog docked in a corner of the map (at the bottom on a
// phone), never pinned to the clicked point: it is always wholly visible and
// the map does not move under it; a marker shows where it tells about.
// Enter on the focused map asks about the map's centre; focus moves into
// the dialog, Esc closes it and gives the focus back to where it was.
import { announce } from './announce.js';
import { byFieldName, classifierLabel, findLayer, PUBLICATION_FIELDS, translateLabel } from './config.js';
import { clear, el } from './dom.js';
import * as format from './format.js';
import { fetchJson } from './http.js';
import { t, tr } from './i18n.js';

const HIDDEN_FIELDS = new Set(['id', 'published_version']);
// Years are numbers written without grouping ("2023", never "2 023").
const YEAR_FIELD = /(^|_)year(_|$)/;

export function formatValue(config, field, value) {
  if (value === null || value === undefined || value === '' || value === 'NULL') return null;
  if (typeof value === 'boolean') return value ? t('value.yes') : t('value.no');
  if (field.classifier) {
    return config.classifiers?.[field.classifier]?.[value] ? classifierLabel(config, field.classifier, value) : translateLabel(config, field.classifier, value);
  }
  if (field.type === 'date') return format.date(value);
  if (field.type === 'datetime') return format.date(value);
  if (field.type === 'decimal' || field.type === 'integer') {
    if (YEAR_FIELD.test(field.name)) return String(value);
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

let cardNumber = 0;

export function featureCard(config, layer, properties, actions = []) {
  const title = properties[layer.display] ?? tr(layer.title);
  cardNumber += 1;
  return el(
    'article',
    { class: 'feature', dataset: { layer: layer.name } },
    el('h3', { id: `feature-title-${cardNumber}` }, formatValue(config, layer.fields.find((f) => f.name === layer.display) || {}, title) ?? ''),
    el('p', { class: 'feature-layer' }, tr(layer.title)),
    el('table', { class: 'attributes' }, el('tbody', {}, featureRows(config, layer, properties).map(([label, text]) => el('tr', {}, el('th', { scope: 'row' }, label), el('td', {}, text))))),
    actions.length ? el('div', { class: 'feature-actions' }, actions) : null,
  );
}

/**
 * Wire pop-ups to a viewer. actionsFor(layerName, properties, feature) may
 * return buttons a thematic view adds (e.g. "consumption trend").
 * Returns {close, queryAt(coordinate), showFeature(layerName, properties, coordinate)}.
 */
export function setupPopups(viewer, config, { actionsFor = () => [] } = {}) {
  const element = document.getElementById('popup');
  const content = element.querySelector('.popup-content');
  const closeButton = element.querySelector('.popup-close');
  const mapElement = viewer.map.getTargetElement();
  let returnFocus = null;
  let request = 0;

  function open() {
    // Where the focus goes back to: the map, a search field, a table's button.
    const active = document.activeElement;
    if (!element.contains(active)) returnFocus = active && active !== document.body ? active : mapElement;
    element.hidden = false;
  }
  function close() {
    request += 1;
    element.hidden = true;
    viewer.markPoint(null);
    const target = returnFocus;
    returnFocus = null;
    if (target && target.isConnected) target.focus();
  }
  function settle(cards) {
    clear(content);
    if (!cards.length) {
      content.append(el('p', { class: 'muted' }, t('popup.nothing')));
      element.setAttribute('aria-label', t('popup.nothing'));
      element.removeAttribute('aria-labelledby');
    } else {
      content.append(...cards);
      element.removeAttribute('aria-label');
      element.setAttribute('aria-labelledby', cards[0].querySelector('h3').id);
    }
    content.scrollTop = 0;
    element.focus();
  }

  closeButton.addEventListener('click', close);
  element.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      close();
    }
  });

  /** Ask the server what the visible layers have at a map coordinate (EPSG:3857). */
  async function queryAt(coordinate) {
    const queryLayers = viewer.visibleLayers();
    open();
    viewer.markPoint(coordinate);
    if (!queryLayers.length) return settle([]);
    const url = viewer.source.getFeatureInfoUrl(coordinate, viewer.view.getResolution(), 'EPSG:3857', {
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
    element.setAttribute('aria-label', t('popup.loading'));
    announce(t('popup.loading'));
    try {
      const body = await fetchJson(url);
      if (mine !== request) return;
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
      settle(specific.length ? specific : cards);
    } catch {
      if (mine !== request) return;
      clear(content).append(el('p', { class: 'error' }, t('popup.error')));
      element.setAttribute('aria-label', t('popup.error'));
      element.focus();
    }
  }

  /** The information of one feature already at hand (a search result, a table row). */
  function showFeature(layerName, properties, coordinate = null) {
    const layer = findLayer(config, layerName);
    if (!layer) return;
    request += 1;
    open();
    viewer.markPoint(coordinate);
    settle([featureCard(config, layer, properties, actionsFor(layerName, properties, null))]);
  }

  viewer.map.on('singleclick', (event) => queryAt(event.coordinate));
  // Enter on the focused map (not on its buttons) asks about the map's centre.
  mapElement.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.target !== mapElement) return;
    event.preventDefault();
    queryAt(viewer.view.getCenter());
  });
  return { close, queryAt, showFeature };
}
