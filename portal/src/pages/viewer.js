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
import { createMap, openStartView } from '../lib/map.js';
import { filter, getFeatures } from '../lib/ows.js';
import { setupPanel } from '../lib/panel.js';
import { formatState, parseState } from '../lib/permalink.js';
import { setupPrint } from '../lib/print.js';
import { setupPopups } from '../lib/popup.js';
import { setupSearch } from '../lib/search.js';
import { bootData } from '../lib/starttiles.js';
import { setupEmbedDialog } from '../lib/snippet.js';
import { THEMES } from '../themes/index.js';

// How long the page waits for the start view's first frame before building the rest (ms).
const FIRST_FRAME_WAIT_MS = 1500;

async function main() {
  performance.mark('zgis:app');
  const state = parseState(location.hash);
  // The start view is drawn from the tile cache while config.json and the
  // strings arrive; the rest of the map is added to the same map then.
  const opened = openStartView({ target: 'map', data: bootData(), state });
  if (opened) window.zgisViewer = opened; // for the browser console and tests (completed below)
  let config;
  try {
    // Neither waits for the other (the page's head asked for the strings; the map's configuration is asked for here).
    [, config] = await Promise.all([initI18n(), loadConfig(state.map || 'city')]);
  } catch {
    document.getElementById('map').append(el('p', { class: 'error' }, t('viewer.load_error')));
    return;
  }
  showDemoBanner(config);
  let mapSpec = findMap(config, state.map || 'city');
  if (!mapSpec) {
    document.getElementById('demo-banner').after(el('div', { class: 'notice', role: 'status' }, t('viewer.unknown_map', { id: state.map })));
    mapSpec = findMap(config, 'city');
  }
  document.getElementById('map-title').textContent = tr(mapSpec.title);
  document.title = `${tr(mapSpec.title)} — ${t('site.title')}`;

  performance.mark('zgis:config');
  // The city is drawn before the rest of the page is built: on a slow phone
  // building it (the layers' list, the legends, search, the dialogs) would
  // hold the first frame back by a few hundred milliseconds. A start view
  // whose tiles do not come in time does not hold the page back.
  if (opened) await Promise.race([opened.drawn, new Promise((resolve) => setTimeout(resolve, FIRST_FRAME_WAIT_MS))]);
  const viewer = createMap({ target: 'map', config, mapSpec, state, opened });
  window.zgisViewer ??= viewer; // for the browser console and tests
  layerSwitcher(document.getElementById('layers'), viewer, config);
  const panel = setupPanel(mapSpec.theme ? t(`theme.${mapSpec.theme}`) : null);
  setupDownloads(document.getElementById('layers'), viewer, config);

  // The address always reflects the view (a permalink to share).
  const writeState = () => {
    const view = viewer.view;
    const hash = formatState({ map: mapSpec.id, layers: viewer.visibleLayers(), base: viewer.baseVisible(), center: viewer.centerLonLat(), zoom: view.getZoom() });
    history.replaceState(null, '', `${location.pathname}${location.search}#${hash}`);
  };
  viewer.map.on('moveend', writeState);
  viewer.map.on('layerschange', writeState);
  window.addEventListener('hashchange', () => location.reload());
  // The skip link moves the focus to the map without touching the address (which holds the view).
  document.querySelector('.skip-link').addEventListener('click', (event) => {
    event.preventDefault();
    viewer.map.getTargetElement().focus();
  });

  let themeApi = {};
  const extractActions = setupPrint(viewer, config);
  const popups = setupPopups(viewer, config, {
    actionsFor: (...args) => [...(themeApi.actionsFor?.(...args) || []), ...extractActions(...args)],
  });
  setupSearch(viewer, config, { onResult: (result) => popups.showFeature(result.layer, result.features[0].properties, viewer.view.getCenter()) });
  setupEmbedDialog(viewer, config);

  /** Show a feature of a list on the map with its information (all its published values). */
  async function openFeature(layerName, feature) {
    await viewer.showFeatures([feature]);
    let properties = feature.properties;
    try {
      const [full] = await getFeatures(mapSpec.id, layerName, { where: filter.equals('id', properties.id), maxFeatures: 1 });
      if (full) properties = full.properties;
    } catch {
      // the values at hand are still worth showing
    }
    popups.showFeature(layerName, properties, viewer.view.getCenter());
  }

  if (mapSpec.theme && THEMES[mapSpec.theme]) {
    const theme = THEMES[mapSpec.theme]();
    const container = document.getElementById('theme');
    const loading = el('p', { class: 'muted' }, t('theme.loading'));
    container.append(el('h2', {}, t(`theme.${mapSpec.theme}`)), loading);
    if (new URLSearchParams(location.hash.slice(1)).get('panel') === 'theme') panel.show('theme');
    try {
      themeApi = await (await theme).mount({ container, viewer, config, mapSpec, showTheme: () => panel.show('theme'), openFeature });
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
