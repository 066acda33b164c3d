// /embed?map=<id>&layers=…&center=lon,lat&zoom=…: the map alone, for an
// iframe on another site (which sites may frame it is set in nginx). The
// map can be focused and used by keyboard like the viewer's.
import 'ol/ol.css';
import '../styles/portal.css';
import { showDemoBanner } from '../lib/banner.js';
import { findMap, loadConfig } from '../lib/config.js';
import { initI18n, t, tr } from '../lib/i18n.js';
import { createMap, openStartView } from '../lib/map.js';
import { formatState, parseState } from '../lib/permalink.js';
import { setupPopups } from '../lib/popup.js';
import { bootData } from '../lib/starttiles.js';

async function main() {
  const state = parseState(location.search);
  // The start view is drawn from the tile cache while config.json and the strings arrive (as in the viewer).
  const opened = openStartView({ target: 'map', data: bootData(), state });
  if (opened) window.zgisViewer = opened;
  const [, config] = await Promise.all([initI18n(), loadConfig(state.map || 'city')]);
  showDemoBanner(config, { short: true });
  const mapSpec = findMap(config, state.map || 'city') || findMap(config, 'city');
  const viewer = createMap({ target: 'map', config, mapSpec, state, controls: false, opened });
  window.zgisViewer ??= viewer;
  setupPopups(viewer, config);
  const link = document.getElementById('embed-title');
  const updateLink = () => {
    const hash = formatState({ map: mapSpec.id, layers: viewer.visibleLayers(), base: viewer.baseVisible(), center: viewer.centerLonLat(), zoom: viewer.view.getZoom() });
    link.href = `/map.html#${hash}`;
  };
  link.textContent = `${tr(mapSpec.title)} ↗`;
  link.title = t('embed.open_full');
  viewer.map.on('moveend', updateLink);
  updateLink();
  document.title = tr(mapSpec.title);
  document.body.dataset.ready = 'true';
}

main();
