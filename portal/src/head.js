// The first script of every page, inlined in its <head>, run while the rest
// of the page is still arriving: on the viewer and the embedded map it asks
// for the start view's tiles, then for the strings of the page's language
// (and config.json when the map is not drawn from the tile cache); on the
// other pages for the strings. The tiles are for
// the map's size estimated from the window (the page is not laid
// out yet): the window less the panel of a wide screen, the header's
// height; tiles are asked for over the window's whole height, so that the
// map's own are among them. boot.js adds any the estimate missed.
import { chooseLanguage } from './lib/language.js';
import { parseState } from './lib/permalink.js';
import { bootData, configUrl, PANEL_WIDTH, preload, requestImage, startTileUrls, WIDE_SCREEN } from './lib/starttiles.js';

// Heights of the header (and the demo label under it on a wide screen), as portal.css lays them out.
const HEADER_WIDE = 76;
const HEADER_NARROW = 100;
const HEADER_SIDEWAYS = 52;

// The pages that open a map: the viewer (its state in the hash) and the embedded map (in the query).
const embedded = location.pathname === '/embed';
const mapPage = embedded || location.pathname.endsWith('/map.html');

function headTiles() {
  if (!mapPage) return false;
  const wide = !embedded && window.matchMedia(WIDE_SCREEN).matches;
  const width = window.innerWidth - (wide ? PANEL_WIDTH : 0);
  const header = embedded ? 0 : wide ? HEADER_WIDE : window.innerHeight <= 500 ? HEADER_SIDEWAYS : HEADER_NARROW;
  const urls = startTileUrls(bootData(), embedded, [width, window.innerHeight - header], [width, window.innerHeight]);
  for (const url of urls) requestImage(url);
  return urls.length > 0;
}

let tiles = false;
try {
  tiles = headTiles();
} catch (error) {
  console.warn('head', error); // the application asks by itself; this only saves time
}
// A map opening from the tile cache draws its first frame without the
// strings and its configuration (the map's script needs only the tiles), and
// the page builds the rest of itself after that frame: the strings come
// after the tiles, and the configuration (config/<map>.json) is asked for by
// the application when it starts, instead of sharing a slow connection's
// bandwidth with the scripts and tiles. (Pages without a map name
// config.json in their head.)
if (tiles) {
  preload(`/i18n/${chooseLanguage()}.json`, 'fetch', 'low');
} else {
  preload(`/i18n/${chooseLanguage()}.json`, 'fetch');
  const mapId = mapPage ? parseState(embedded ? location.search : location.hash).map || 'city' : null;
  preload(configUrl(mapId), 'fetch');
}
performance.mark('zgis:head'); // bench/portal.py reads it
