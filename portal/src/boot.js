// The script at the end of every page's body, inlined: it runs before the
// page's application (a module, still downloading). On a wide screen it
// opens the viewer's side panel (so the map has its final size at once) and
// asks for the start view's tiles of the map as it is now laid out that
// head.js, which could only estimate the map's size, has not asked for.
import { bootData, requestImage, startTileUrls, WIDE_SCREEN } from './lib/starttiles.js';

function boot() {
  if (document.body.classList.contains('page-viewer') && window.matchMedia(WIDE_SCREEN).matches) {
    document.body.classList.add('panel-open');
  }
  const map = document.getElementById('map');
  if (!map) return;
  const embedded = document.body.classList.contains('page-embed');
  for (const url of startTileUrls(bootData(), embedded, [map.clientWidth, map.clientHeight])) requestImage(url);
}

performance.mark('zgis:boot'); // when the page reached its end (bench/portal.py reads it)
try {
  boot();
} catch (error) {
  console.warn('boot', error); // the application asks by itself; this only saves time
}
