// The script at the end of every page's body, inlined: it runs before the
// page's application (a module, still downloading) and asks at once for what
// the application will ask for only later — on the viewer and the embedded
// map, the cached tiles of the view it opens with (head.js has asked for
// the strings). The browser then has them when
// OpenLayers asks (the same addresses), instead of fetching one thing after
// another. The data (where tiles are, each map's start layers, the city's
// extent) is written into the page when the portal is deployed.
import { parseState } from './lib/permalink.js';
import { fitExtent, fromLonLat, resolutionOfZoom, tilesForView } from './lib/tilegrid.js';

const MAX_ZOOM = 20;
const MIN_ZOOM = 9;
// As the stylesheet's side-panel layout (portal.css).
const WIDE_SCREEN = '(min-width: 800px) and (min-height: 501px)';

function preload(href, as) {
  const link = document.createElement('link');
  link.rel = 'preload';
  link.as = as;
  link.href = href;
  document.head.append(link);
}

/** The tiles of the start view, or none when the address asks for another view (not cached). */
function startViewTiles(data, mapElement) {
  const embedded = document.body.classList.contains('page-embed');
  const state = parseState(embedded ? location.search : location.hash);
  const id = state.map || 'city';
  const spec = data.maps[id];
  if (!spec || (spec.base && !state.base)) return [];
  if (state.layers && (state.layers.length !== spec.start.length || !spec.start.every((name) => state.layers.includes(name)))) return [];
  const size = [mapElement.clientWidth, mapElement.clientHeight];
  if (!size[0] || !size[1]) return [];
  let center;
  let resolution;
  if (state.center && state.zoom !== null) {
    center = fromLonLat(state.center);
    resolution = resolutionOfZoom(Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, state.zoom)));
  } else {
    ({ center, resolution } = fitExtent(data.extent, size));
  }
  const template = (window.devicePixelRatio > 1 ? data.tiles.hidpi_url : data.tiles.url).replace('{map}', id);
  return tilesForView(center, resolution, size, MAX_ZOOM).map(([z, x, y]) =>
    template.replace('{z}', z).replace('{x}', x).replace('{y}', y),
  );
}

function boot() {
  // A wide screen shows the panel beside the map from the start, so the map
  // has its final size before the tiles are chosen.
  if (document.body.classList.contains('page-viewer') && window.matchMedia(WIDE_SCREEN).matches) {
    document.body.classList.add('panel-open');
  }
  const element = document.getElementById('zgis-boot');
  const data = element ? JSON.parse(element.textContent) : null;
  const mapElement = document.getElementById('map');
  if (!data || !data.tiles || !mapElement) return;
  for (const url of startViewTiles(data, mapElement)) preload(url, 'image');
}

try {
  boot();
} catch (error) {
  // The application does everything again by itself; the boot only saves time.
  console.warn('boot', error);
}
