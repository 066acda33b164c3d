// Helpers shared by the thematic views.
import { classifierLabel } from '../lib/config.js';

/** Colour the map gives a category code of a layer (config categories). */
export function categoryColour(layer, code, fallback = '#9e9e9e') {
  return layer?.categories?.colours?.[code] || fallback;
}

/** Classifier codes in the classifier's order, with their label in the current language. */
export function classifierItems(config, list) {
  return Object.keys(config.classifiers?.[list] || {}).map((code) => ({ code, label: classifierLabel(config, list, code) }));
}

export function sum(values) {
  return values.reduce((total, v) => total + (Number(v) || 0), 0);
}
