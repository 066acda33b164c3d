// «Відкриті дані»: the open datasets as the server last published them
// (/opendata/index.json, written by the open data listener after each
// approval), each with its files, structure (Table Schema), passport and
// Data Package, and the catalogue a CKAN portal harvests.
import '../styles/portal.css';
import '../styles/opendata.css';
import { showDemoBanner } from '../lib/banner.js';
import { loadConfig } from '../lib/config.js';
import { clear, el } from '../lib/dom.js';
import { currentLanguage, initI18n, locale } from '../lib/i18n.js';

// This page's own strings (the shared i18n files stay as they are).
const STRINGS = {
  uk: {
    heading: 'Відкриті дані',
    intro:
      'Набори даних реєстрів міської ради у форматах CSV, JSON, XLSX, а просторові — ще й GeoJSON і GeoPackage ' +
      '(координати WGS 84 та МСК-18, EPSG:9836). Лише затверджені дані: файли оновлюються автоматично протягом ' +
      'хвилини після затвердження змін. Ліцензія CC BY 4.0 — використовуйте вільно з посиланням на джерело.',
    catalogue: 'Каталог для порталів відкритих даних (CKAN, data.gov.ua):',
    loading: 'Завантаження переліку наборів…',
    not_ready: 'Набори даних ще готуються. Оновіть сторінку за хвилину.',
    error: 'Не вдалося завантажити перелік наборів даних. Спробуйте пізніше.',
    modified: 'Останні зміни',
    records: 'Записів',
    structure: 'Структура',
    files: 'Файли',
    schema: 'опис полів (Table Schema)',
    passport: 'Паспорт набору',
    package: 'Data Package',
    basis: 'Підстава',
    download: 'Завантажити',
    bytes: ['Б', 'КБ', 'МБ', 'ГБ'],
  },
  en: {
    heading: 'Open data',
    intro:
      "The council's registers as CSV, JSON and XLSX, and the spatial ones as GeoJSON and GeoPackage too " +
      '(coordinates in WGS 84 and LCS-18, EPSG:9836). Approved data only: the files are updated automatically ' +
      'within a minute of an approval. Licence CC BY 4.0: free use with attribution.',
    catalogue: 'Catalogue for open data portals (CKAN, data.gov.ua):',
    loading: 'Loading the datasets…',
    not_ready: 'The datasets are being prepared. Reload the page in a minute.',
    error: 'Could not load the list of datasets. Please try later.',
    modified: 'Last change',
    records: 'Records',
    structure: 'Structure',
    files: 'Files',
    schema: 'field descriptions (Table Schema)',
    passport: 'Dataset passport',
    package: 'Data Package',
    basis: 'Legal basis',
    download: 'Download',
    bytes: ['B', 'kB', 'MB', 'GB'],
  },
};
const BASE = '/opendata';

function s(key) {
  return (STRINGS[currentLanguage()] ?? STRINGS.uk)[key];
}

function size(bytes) {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < 3) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toLocaleString(locale(), { maximumFractionDigits: unit ? 1 : 0 })} ${s('bytes')[unit]}`;
}

function when(iso) {
  const moment = new Date(iso);
  return moment.toLocaleString(locale(), { dateStyle: 'medium', timeStyle: 'short' });
}

function fileLink(dataset, file) {
  const [, kind] = file.name.split(/\.(.+)/);
  return el(
    'li',
    {},
    el(
      'a',
      { href: `${BASE}/${dataset.id}/${file.name}`, download: file.name, dataset: { format: kind } },
      `${s('download')} ${file.title}`,
    ),
    el('span', { class: 'muted small' }, ` · ${size(file.bytes)}`),
  );
}

function datasetCard(dataset) {
  const english = currentLanguage() === 'en';
  const records = Object.entries(dataset.records)
    .map(([name, n]) => `${name}: ${n.toLocaleString(locale())}`)
    .join(', ');
  return el(
    'article',
    { class: 'card dataset', id: dataset.id, dataset: { dataset: dataset.id } },
    el('h2', {}, english ? dataset.title_en : dataset.title),
    el('p', {}, english ? dataset.description_en : dataset.description),
    el(
      'dl',
      { class: 'dataset-facts' },
      el('dt', {}, s('modified')),
      el('dd', {}, el('time', { datetime: dataset.modified, class: 'modified' }, when(dataset.modified))),
      el('dt', {}, s('records')),
      el('dd', {}, records),
      el('dt', {}, s('structure')),
      el('dd', {}, dataset.structure),
      el('dt', {}, s('basis')),
      el('dd', {}, dataset.list_item),
    ),
    el('h3', {}, s('files')),
    el('ul', { class: 'dataset-files' }, dataset.files.map((file) => fileLink(dataset, file))),
    el(
      'p',
      { class: 'small' },
      dataset.schemas.flatMap((schema) => [el('a', { href: `${BASE}/${dataset.id}/${schema}` }, `${schema.split('.')[0]}: ${s('schema')}`), ' · ']),
      el('a', { href: `${BASE}/${dataset.id}/passport.json` }, s('passport')),
      ' · ',
      el('a', { href: `${BASE}/${dataset.id}/datapackage.json` }, s('package')),
    ),
  );
}

async function main() {
  await initI18n();
  document.title = `${s('heading')} — ${document.title.split(' — ').pop()}`;
  document.getElementById('opendata-heading').textContent = s('heading');
  document.getElementById('opendata-intro').textContent = s('intro');
  document
    .getElementById('opendata-catalogue')
    .append(
      `${s('catalogue')} `,
      el('a', { href: `${BASE}/catalog.jsonld` }, 'DCAT-AP (JSON-LD)'),
      ' · ',
      el('a', { href: `${BASE}/data.json` }, 'data.json'),
    );
  const list = document.getElementById('datasets');
  list.append(el('p', { class: 'muted' }, s('loading')));
  try {
    const config = await loadConfig();
    showDemoBanner(config);
    document.getElementById('attribution').textContent = config.attribution;
  } catch {
    // the list below does not depend on the maps' configuration
  }
  let index;
  try {
    const response = await fetch(`${BASE}/index.json`, { headers: { Accept: 'application/json' } });
    if (response.status === 404) {
      clear(list).append(el('p', { class: 'muted' }, s('not_ready')));
      document.body.dataset.ready = 'true';
      return;
    }
    index = response.ok ? await response.json() : null;
  } catch {
    index = null;
  }
  if (!index) {
    clear(list).append(el('p', { class: 'error' }, s('error')));
    document.body.dataset.ready = 'true';
    return;
  }
  clear(list).append(...index.datasets.map(datasetCard));
  if (location.hash) document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
  document.body.dataset.ready = 'true';
}

main();
