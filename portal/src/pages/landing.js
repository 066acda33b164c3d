// The landing page: the published maps with their descriptions, and for
// GIS users the service addresses with copy buttons and a QGIS guide.
import '../styles/portal.css';
import { showDemoBanner } from '../lib/banner.js';
import { loadConfig } from '../lib/config.js';
import { copyField } from '../lib/copy.js';
import { clear, el } from '../lib/dom.js';
import { initI18n, t, tr } from '../lib/i18n.js';
import { serviceUrls } from '../lib/ows.js';

function mapCard(map) {
  const actions = [el('a', { class: 'button', href: `/map.html#map=${encodeURIComponent(map.id)}` }, t('landing.open_map'))];
  if (map.theme) {
    actions.push(el('a', { class: 'button secondary', href: `/map.html#map=${encodeURIComponent(map.id)}&panel=theme` }, t('landing.open_theme')));
  }
  return el(
    'article',
    { class: 'card map-card', id: `map-${map.id}`, dataset: { map: map.id } },
    el('h3', {}, tr(map.title)),
    el('p', {}, tr(map.abstract)),
    el('p', { class: 'muted small' }, `${t('landing.layers')}: ${map.layers.map((l) => tr(l.title)).join(', ')}`),
    el('div', { class: 'card-actions' }, actions),
  );
}

function serviceRow(map) {
  const urls = serviceUrls(map.id);
  return el(
    'article',
    { class: 'service', dataset: { map: map.id } },
    el('h3', {}, tr(map.title)),
    el(
      'dl',
      {},
      el('dt', {}, t('service.wms')),
      el('dd', {}, copyField(urls.wms, `${t('service.wms')} ${tr(map.title)}`)),
      el('dt', {}, t('service.wfs')),
      el('dd', {}, copyField(urls.wfs, `${t('service.wfs')} ${tr(map.title)}`)),
      el('dt', {}, t('service.ogcapi')),
      el('dd', {}, copyField(urls.ogcapi, `${t('service.ogcapi')} ${tr(map.title)}`)),
    ),
  );
}

/** The history chain's last exported head (history-head.json, written daily by the server), when there is one. */
async function showHistoryHead() {
  let head;
  try {
    const response = await fetch('/history-head.json', { cache: 'no-cache' });
    if (!response.ok) return;
    head = await response.json();
  } catch {
    return; // not exported on this server: nothing to show
  }
  if (!Number.isInteger(head.position) || !/^[0-9a-f]{64}$/.test(head.hash)) return;
  const date = new Date(head.exported_at).toLocaleString(document.documentElement.lang || 'uk');
  document.getElementById('history-head-value').textContent = t('history.value')
    .replace('{position}', String(head.position))
    .replace('{hash}', head.hash)
    .replace('{date}', date);
  document.getElementById('history-head').hidden = false;
}

async function main() {
  const configRequest = loadConfig(); // asked for together with the strings
  configRequest.catch(() => {}); // its failure is shown below, once the strings are there
  await initI18n();
  const maps = document.getElementById('maps');
  maps.append(el('p', { class: 'muted' }, t('landing.loading')));
  let config;
  try {
    config = await configRequest;
  } catch {
    clear(maps).append(el('p', { class: 'error' }, t('landing.load_error')));
    return;
  }
  showDemoBanner(config);
  clear(maps).append(...config.maps.map(mapCard));
  document.getElementById('services').append(...config.maps.map(serviceRow));
  document.getElementById('attribution').textContent = config.attribution;
  document.getElementById('licence').textContent = t('footer.licence');
  document.title = t('site.title');
  await showHistoryHead();
  document.body.dataset.ready = 'true';
}

main();
