// /embed?map=<id>&layers=…&center=lon,lat&zoom=…: the map alone, for an
// iframe on another site (which sites may frame it is set in nginx). The
// map can be focused and used by keyboard like the viewer's.
import 'ol/ol.css';
import '../styles/portal.css';
import { showDemoBanner } from '../lib/banner.js';
import { findMap, loadConfig } from '../lib/config.js';
import { initI18n, t, tr } from '../lib/i18n.js';
import { createMap } from '../lib/map.js';
import { formatState, parseState } from '../lib/permalink.js';
import { setupPopups } from '../lib/popup.js';

async function main() {
  const [, config] = await Promise.all([initI18n(), loadConfig()]);
  showDemoBanner(config, { short: true });
  const state = parseState(location.search);
  const mapSpec = findMap(config, state.map || 'city') || findMap(config, 'city');
  const viewer = createMap({ target: 'map', config, mapSpec, state, controls: false });
  window.zgisViewer = viewer;
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
