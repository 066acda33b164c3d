// Search by address, cadastral number and advertising permit number,
// through WFS GetFeature with OGC filters on the published layers.
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
  return features.map((f) => ({ kind: 'parcel', label: f.properties[spec.field], detail: f.properties.address_text, features: [f] }));
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
      return { kind: 'permit', label: p.properties[spec.field], detail: `${structure.properties.structure_code}, ${structure.properties.address_text}`, features: [structure] };
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
  if (!house) return streets.map((s) => ({ kind: 'address', label: streetName(s), features: [s] }));
  if (!streets.length) return [];
  const byId = new Map(streets.map((s) => [s.properties.id, s]));
  const addresses = await getFeatures(spec.addresses.project, spec.addresses.collection, {
    where: filter.and(filter.or(...streets.map((s) => filter.equals(spec.addresses.street, s.properties.id))), filter.like(spec.addresses.number, escapeLike(house))),
    maxFeatures: 50,
  });
  return addresses.map((a) => ({
    kind: 'address',
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

/** Wire the search form of the viewer. */
export function setupSearch(viewer, config, { onResult = () => {} } = {}) {
  const form = document.getElementById('search');
  const input = document.getElementById('search-input');
  const list = document.getElementById('search-results');
  input.title = t('search.hint');
  const choose = (result) => {
    list.hidden = true;
    viewer.showFeatures(result.features);
    onResult(result);
  };
  const message = (text, cls) => {
    clear(list).append(el('li', { class: cls }, text));
    list.hidden = false;
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
    list.hidden = false;
    if (results.length === 1) choose(results[0]);
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') list.hidden = true;
  });
}
