// Search by address, cadastral number and advertising permit number,
// through WFS GetFeature with OGC filters on the published layers.
// Results and "nothing found" are announced; choosing a result shows it on
// the map and opens its information (the pop-up dialog).
import { announce } from './announce.js';
import { classifierLabel } from './config.js';
import { clear, el } from './dom.js';
import { t } from './i18n.js';
import { escapeLike, filter, getFeatures } from './ows.js';

const CADASTRAL = /^\d{10}(:\d{0,2}(:\d{0,3}(:\d{0,4})?)?)?$/;
const CADASTRAL_FULL = /^\d{10}:\d{2}:\d{3}:\d{4}$/;
const PERMIT = /^(РД|RD)-?\d{0,4}(-\d{0,4})?$/i;
const STREET_WORDS = /^(вулиця|вул\.?|проспект|просп\.?|пр-т|провулок|пров\.?|площа|пл\.?|майдан|бульвар|бул\.?|street|st\.?|avenue|ave\.?)\s+/i;

/** What kind of search a query is: parcel, permit or address. */
export function classify(query) {
  const q = query.trim().replace(/\s+/g, ' ');
  if (CADASTRAL.test(q)) return { kind: 'parcel', value: q };
  if (PERMIT.test(q.replace(/\s/g, ''))) return { kind: 'permit', value: q.replace(/\s/g, '').replace(/^RD/i, 'РД').toUpperCase() };
  const match = q.match(/^(.*?)[,\s]+(\d+[\p{L}]?(?:[/-]\d+[\p{L}]?)?)$/u);
  const street = (match ? match[1] : q).replace(STREET_WORDS, '').replace(/[,\s]+$/, '');
  return { kind: 'address', street, house: match ? match[2] : null };
}

async function searchParcels(config, value) {
  const spec = config.search.parcel;
  const where = CADASTRAL_FULL.test(value) ? filter.equals(spec.field, value) : filter.like(spec.field, `${escapeLike(value)}*`);
  const features = await getFeatures(spec.project, spec.collection, { where, maxFeatures: 20 });
  return features.map((f) => ({ kind: 'parcel', layer: spec.collection, label: f.properties[spec.field], detail: f.properties.address_text, features: [f] }));
}

async function searchPermits(config, value) {
  const spec = config.search.permit;
  const permits = await getFeatures(spec.project, spec.collection, { where: filter.like(spec.field, `${escapeLike(value)}*`), maxFeatures: 20 });
  const ids = [...new Set(permits.map((p) => p.properties[spec.link]).filter((id) => id !== null))];
  if (!ids.length) return [];
  const structures = await getFeatures(spec.target.project, spec.target.collection, { where: filter.or(...ids.map((id) => filter.equals('id', id))) });
  const byId = new Map(structures.map((s) => [s.properties.id, s]));
  return permits
    .filter((p) => byId.has(p.properties[spec.link]))
    .map((p) => {
      const structure = byId.get(p.properties[spec.link]);
      return { kind: 'permit', layer: spec.target.collection, label: p.properties[spec.field], detail: `${structure.properties.structure_code}, ${structure.properties.address_text}`, features: [structure] };
    });
}

async function searchAddresses(config, { street, house }) {
  if (street.length < 2) return [];
  const spec = config.search.address;
  const streets = await getFeatures(spec.streets.project, spec.streets.collection, {
    where: filter.like(spec.streets.name, `*${escapeLike(street)}*`),
    maxFeatures: 50,
  });
  const streetName = (s) => `${classifierLabel(config, 'street_type', s.properties[spec.streets.type])} ${s.properties[spec.streets.name]}`.trim();
  if (!house) return streets.map((s) => ({ kind: 'address', layer: spec.streets.collection, label: streetName(s), features: [s] }));
  if (!streets.length) return [];
  const byId = new Map(streets.map((s) => [s.properties.id, s]));
  const addresses = await getFeatures(spec.addresses.project, spec.addresses.collection, {
    where: filter.and(filter.or(...streets.map((s) => filter.equals(spec.addresses.street, s.properties.id))), filter.like(spec.addresses.number, escapeLike(house))),
    maxFeatures: 50,
  });
  return addresses.map((a) => ({
    kind: 'address',
    layer: spec.addresses.collection,
    label: `${streetName(byId.get(a.properties[spec.addresses.street]))}, ${a.properties[spec.addresses.number]}`,
    detail: a.properties.postcode,
    features: [a],
  }));
}

export async function search(config, query) {
  const what = classify(query);
  if (what.kind === 'parcel') return searchParcels(config, what.value);
  if (what.kind === 'permit') return searchPermits(config, what.value);
  return searchAddresses(config, what);
}

/**
 * Wire the search form of the viewer. onResult(result) is called with the
 * chosen result after the map has moved to it (the viewer opens its pop-up).
 */
export function setupSearch(viewer, config, { onResult = () => {} } = {}) {
  const form = document.getElementById('search');
  const input = document.getElementById('search-input');
  const list = document.getElementById('search-results');
  const buttons = () => [...list.querySelectorAll('button.search-result')];
  const hide = () => {
    list.hidden = true;
  };
  const show = () => {
    list.hidden = false;
  };
  const choose = async (result) => {
    input.focus(); // the pop-up gives the focus back here when closed
    hide();
    await viewer.showFeatures(result.features);
    onResult(result);
  };
  const message = (text, cls) => {
    clear(list).append(el('li', { class: cls }, text));
    show();
    announce(text);
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const query = input.value.trim();
    if (!query) return;
    message(t('search.searching'), 'muted');
    let results;
    try {
      results = await search(config, query);
    } catch {
      return message(t('search.error'), 'error');
    }
    if (!results.length) return message(t('search.nothing', { q: query }), 'muted');
    clear(list);
    for (const result of results) {
      const button = el('button', { type: 'button', class: 'search-result' }, el('strong', {}, result.label), ' ', el('span', { class: 'muted' }, [t(`search.kind.${result.kind}`), result.detail].filter(Boolean).join(' · ')));
      button.addEventListener('click', () => choose(result));
      list.append(el('li', {}, button));
    }
    show();
    if (results.length === 1) {
      announce(t('search.found_one', { label: results[0].label }));
      choose(results[0]);
    } else {
      announce(t('search.found', { count: results.length }));
    }
  });
  // Arrow keys move between the field and the results; Esc closes the list.
  form.addEventListener('keydown', (event) => {
    const items = buttons();
    const at = items.indexOf(document.activeElement);
    if (event.key === 'ArrowDown' && !list.hidden && items.length) {
      event.preventDefault();
      items[Math.min(items.length - 1, at + 1)].focus();
    } else if (event.key === 'ArrowUp' && at >= 0) {
      event.preventDefault();
      (at === 0 ? input : items[at - 1]).focus();
    } else if (event.key === 'Escape' && !list.hidden) {
      event.preventDefault();
      hide();
      input.focus();
    }
  });
}
