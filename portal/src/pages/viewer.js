// The map viewer: one published map with layer switcher and legends,
// pop-ups, search, a permalink in the address, the thematic view of the
// map, and the embed snippet generator.
import 'ol/ol.css';
import '../styles/portal.css';
import { showDemoBanner } from '../lib/banner.js';
import { findMap, loadConfig } from '../lib/config.js';
import { el } from '../lib/dom.js';
import { setupDownloads } from '../lib/download.js';
import { initI18n, t, tr } from '../lib/i18n.js';
import { layerSwitcher } from '../lib/layers.js';
import { createMap } from '../lib/map.js';
import { formatState, parseState } from '../lib/permalink.js';
import { setupPrint } from '../lib/print.js';
import { setupPopups } from '../lib/popup.js';
import { setupSearch } from '../lib/search.js';
import { setupEmbedDialog } from '../lib/snippet.js';
import { THEMES } from '../themes/index.js';

function setupTabs(theme) {
  const tabs = { layers: document.getElementById('tab-layers'), theme: document.getElementById('tab-theme') };
  const panels = { layers: document.getElementById('layers'), theme: document.getElementById('theme') };
  const show = (name) => {
    for (const key of Object.keys(tabs)) {
      tabs[key].setAttribute('aria-selected', String(key === name));
      panels[key].hidden = key !== name;
    }
    document.body.classList.add('panel-open');
  };
  tabs.layers.addEventListener('click', () => show('layers'));
  if (theme) {
    tabs.theme.hidden = false;
    tabs.theme.textContent = t(`theme.${theme}`);
    tabs.theme.addEventListener('click', () => show('theme'));
  }
  document.getElementById('panel-toggle').addEventListener('click', () => document.body.classList.toggle('panel-open'));
  return show;
}

async function main() {
  await initI18n();
  let config;
  try {
    config = await loadConfig();
  } catch {
    document.getElementById('map').append(el('p', { class: 'error' }, t('viewer.load_error')));
    return;
  }
  showDemoBanner(config);
  const state = parseState(location.hash);
  let mapSpec = findMap(config, state.map || 'city');
  if (!mapSpec) {
    document.getElementById('demo-banner').after(el('div', { class: 'notice', role: 'status' }, t('viewer.unknown_map', { id: state.map })));
    mapSpec = findMap(config, 'city');
  }
  document.getElementById('map-title').textContent = tr(mapSpec.title);
  document.title = `${tr(mapSpec.title)} — ${t('site.title')}`;
  // On a phone the panel starts closed; on a wide screen open.
  if (window.matchMedia('(min-width: 800px)').matches) document.body.classList.add('panel-open');

  const viewer = createMap({ target: 'map', config, mapSpec, state });
  window.zgisViewer = viewer; // for the browser console and tests
  layerSwitcher(document.getElementById('layers'), viewer, config);
  setupDownloads(document.getElementById('layers'), viewer, config);
  const showTab = setupTabs(mapSpec.theme);

  // The address always reflects the view (a permalink to share).
  const writeState = () => {
    const view = viewer.view;
    const hash = formatState({ map: mapSpec.id, layers: viewer.visibleLayers(), base: viewer.baseVisible(), center: viewer.centerLonLat(), zoom: view.getZoom() });
    history.replaceState(null, '', `${location.pathname}${location.search}#${hash}`);
  };
  viewer.map.on('moveend', writeState);
  viewer.map.on('layerschange', writeState);
  window.addEventListener('hashchange', () => location.reload());

  let themeApi = {};
  const extractActions = setupPrint(viewer, config);
  const popups = setupPopups(viewer, config, {
    actionsFor: (...args) => [...(themeApi.actionsFor?.(...args) || []), ...extractActions(...args)],
  });
  setupSearch(viewer, config, { onResult: () => popups.close() });
  setupEmbedDialog(viewer, config);

  if (mapSpec.theme && THEMES[mapSpec.theme]) {
    const container = document.getElementById('theme');
    const loading = el('p', { class: 'muted' }, t('theme.loading'));
    container.append(el('h2', {}, t(`theme.${mapSpec.theme}`)), loading);
    if (new URLSearchParams(location.hash.slice(1)).get('panel') === 'theme') showTab('theme');
    try {
      themeApi = await THEMES[mapSpec.theme].mount({ container, viewer, config, mapSpec, showTheme: () => showTab('theme') });
      loading.remove();
    } catch (error) {
      loading.className = 'error';
      loading.textContent = t('theme.error');
      console.warn('thematic view', error);
    }
  }
  document.body.dataset.ready = 'true';
}

main();
