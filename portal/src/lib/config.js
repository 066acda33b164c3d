// The portal's config.json (generated on the server from the same
// declaration as the published projects) and lookups into it.
import { fetchJson } from './http.js';
import { currentLanguage } from './i18n.js';
import { configUrl } from './starttiles.js';

/** config.json, or on a map's page (mapId) that map's part of it. */
export async function loadConfig(mapId = null) {
  return fetchJson(configUrl(mapId));
}

export function findMap(config, id) {
  return config.maps.find((m) => m.id === id) || null;
}

export function findLayer(config, name) {
  for (const map of config.maps) {
    for (const layer of [...map.layers, ...map.tables]) if (layer.name === name) return layer;
  }
  return null;
}

/** Label of a classifier code in the current language. */
export function classifierLabel(config, list, code) {
  const item = config.classifiers?.[list]?.[code];
  if (!item) return code ?? '';
  return item[currentLanguage()] || item.uk || code;
}

/** The published-stamp columns every published table adds (labels as the projects' aliases). */
export const PUBLICATION_FIELDS = [
  { name: 'published_at', label: { uk: 'Опубліковано', en: 'Published' }, type: 'datetime' },
  { name: 'published_version', label: { uk: 'Версія', en: 'Version' }, type: 'integer' },
];

/**
 * Properties keyed by field name. GetFeatureInfo and OGC API Features
 * answer with the projects' Ukrainian aliases as keys; WFS with names.
 */
export function byFieldName(layer, properties) {
  const fields = [...layer.fields, ...PUBLICATION_FIELDS];
  const byAlias = new Map(fields.map((f) => [f.label.uk, f.name]));
  const result = {};
  for (const [key, value] of Object.entries(properties || {})) result[byAlias.get(key) || key] = value;
  return result;
}

/**
 * A classifier value shown by the server as its Ukrainian label, in the
 * current language (GetFeatureInfo applies the projects' value maps).
 */
export function translateLabel(config, list, value) {
  if (currentLanguage() === 'uk' || value === null || value === undefined) return value;
  const items = config.classifiers?.[list] || {};
  for (const [code, item] of Object.entries(items)) {
    if (item.uk === value || code === value) return item.en || value;
  }
  return value;
}

/**
 * The name QGIS Server's OGC API Features knows a field by in queries:
 * its alias in the project (the Ukrainian label), as in its answers.
 */
export function queryName(layer, fieldName) {
  const field = [...layer.fields, ...PUBLICATION_FIELDS].find((f) => f.name === fieldName);
  return field ? field.label.uk : fieldName;
}
