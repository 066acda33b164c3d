// Which cached tiles a page's start view needs, worked out before
// OpenLayers is loaded (head.js and boot.js, inlined into the pages): the
// view the address asks for, if it is the map's start view (the only one
// the tile cache holds), and the tiles of the tile grid it shows; the
// application draws that view from the same data before config.json has
// arrived (lib/map.js, openStartView). The data (where tiles are, each map's
// start layers, the city's extent) is written into the page's
// <script id="zgis-boot"> when the portal is deployed.
import { parseState } from './permalink.js';
import { fitExtent, fromLonLat, resolutionOfZoom, tilesForView } from './tilegrid.js';

export const MAX_ZOOM = 20;
export const MIN_ZOOM = 9;
// As the stylesheet's layout (portal.css): the side panel of wide screens.
export const WIDE_SCREEN = '(min-width: 800px) and (min-height: 501px)';
export const PANEL_WIDTH = 380;

export function bootData() {
  const element = document.getElementById('zgis-boot');
  return element ? JSON.parse(element.textContent) : null;
}

/**
 * Where a page reads its configuration: on a map's page that map's own part
 * of config.json (config/<id>.json, which the deployment writes for every
 * map the page's data names), else the whole config.json.
 */
export function configUrl(mapId = null) {
  const maps = mapId ? bootData()?.maps : null;
  return maps && Object.hasOwn(maps, mapId) ? `/config/${mapId}.json` : '/config.json';
}

/**
 * The id of the map whose start view (the only one the tile cache holds) the
 * address asks for, from the cache; null when it asks for another view.
 */
export function cachedStartView(data, state) {
  if (!data || !data.tiles) return null;
  const id = state.map || 'city';
  const spec = data.maps[id];
  if (!spec || (spec.base && !state.base)) return null;
  if (state.layers && (state.layers.length !== spec.start.length || !spec.start.every((name) => state.layers.includes(name)))) return null;
  return id;
}

/**
 * Addresses of the tiles a map of mapSize pixels shows at its start view,
 * over an area of coverSize pixels around its centre (at least the map's);
 * none when the address asks for another view.
 */
export function startTileUrls(data, embedded, mapSize, coverSize = mapSize) {
  if (!data || !data.tiles || !mapSize[0] || !mapSize[1]) return [];
  const state = parseState(embedded ? location.search : location.hash);
  const id = cachedStartView(data, state);
  if (!id) return [];
  let center;
  let resolution;
  if (state.center && state.zoom !== null) {
    center = fromLonLat(state.center);
    resolution = resolutionOfZoom(Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, state.zoom)));
  } else {
    ({ center, resolution } = fitExtent(data.extent, mapSize));
  }
  const template = (window.devicePixelRatio > 1 ? data.tiles.hidpi_url : data.tiles.url).replace('{map}', id);
  return tilesForView(center, resolution, coverSize, MAX_ZOOM).map(([z, x, y]) =>
    template.replace('{z}', z).replace('{x}', x).replace('{y}', y),
  );
}

/**
 * Ask for an image now, once; OpenLayers' image of the same address (no
 * CORS, like this one) is then served from the browser's memory cache. An
 * Image costs the page a fraction of what a <link rel=preload> does: each
 * inserted link is matched, checked and started at once on the main thread,
 * which under a slow CPU held the parsing of the page back by about 0.1 s.
 * The images are kept on the window, shared by head.js and boot.js (each is
 * its own inlined script), until the page unloads: an image nothing refers to
 * may lose its request.
 */
export function requestImage(href) {
  const requested = (window.zgisStartImages ??= new Map());
  if (requested.has(href)) return;
  const image = new Image();
  image.src = href;
  requested.set(href, image);
}

/** Ask for a resource now (the application asks for the same address later); once. */
export function preload(href, as, priority = 'auto') {
  const absolute = new URL(href, location.href).href;
  for (const link of document.head.querySelectorAll('link[rel=preload]')) if (link.href === absolute) return;
  const link = document.createElement('link');
  link.rel = 'preload';
  link.as = as;
  link.href = href;
  if (as === 'fetch') link.crossOrigin = 'anonymous';
  link.fetchPriority = priority;
  document.head.append(link);
}
