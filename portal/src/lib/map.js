// The OpenLayers map of one published project over the city's own base
// map (the `city` project's streets, districts and boundary), with an
// optional external tile base map for production. While the map shows what
// it shows when opened (its start layers over the base map, no filter), it
// is drawn from the tile cache (/tiles, nginx sends the cached files);
// any other choice of layers or a filter is drawn by QGIS Server's WMS.
import Map from 'ol/Map.js';
import View from 'ol/View.js';
import ImageLayer from 'ol/layer/Image.js';
import TileLayer from 'ol/layer/Tile.js';
import ImageWMS from 'ol/source/ImageWMS.js';
import XYZ from 'ol/source/XYZ.js';
import { fromLonLat, toLonLat, transformExtent } from 'ol/proj.js';
import { Attribution, Rotate, ScaleLine, Zoom } from 'ol/control.js';
import { t, tr } from './i18n.js';
import { owsPath } from './ows.js';
import { cachedStartView, MAX_ZOOM, MIN_ZOOM } from './starttiles.js';

function wmsSource(projectId, attribution) {
  return new ImageWMS({
    url: owsPath(projectId),
    params: { VERSION: '1.3.0', FORMAT: 'image/png', TRANSPARENT: 'true', LAYERS: '' },
    serverType: 'qgis',
    hidpi: false,
    ratio: 1.25,
    attributions: attribution,
  });
}

/** The map's buttons, with tooltips in the page's language. */
function mapControls(full) {
  const controls = [
    new Zoom({ zoomInTipLabel: t('map.zoom_in'), zoomOutTipLabel: t('map.zoom_out') }),
    new Attribution({ collapsible: true, tipLabel: t('map.attribution') }),
  ];
  if (full) controls.push(new Rotate({ tipLabel: t('map.rotate') }), new ScaleLine());
  return controls;
}

/**
 * Loads a tile the page asked for before OpenLayers ran (lib/starttiles.js,
 * requestImage) as a bitmap decoded off the main thread, which the canvas
 * draws without decoding it again; any other tile as OpenLayers does.
 */
function loadTile(tile, src) {
  const requested = window.zgisStartImages?.get(src);
  if (!requested || typeof createImageBitmap !== 'function') {
    tile.getImage().src = src;
    return;
  }
  requested
    .decode()
    .then(() => createImageBitmap(requested))
    .then((bitmap) => tile.setImage(bitmap))
    .catch(() => {
      tile.getImage().src = src; // asked for again: the map shows the tile or its own error
    });
}

/** The layer of the tile cache's start view of map `id` (hidden until the view is known to be it). */
function cachedTileLayer(tiles, id, attribution) {
  // Screens of high pixel density get the cache's 512 px tiles (the boot script asked for the same ones).
  const hidpi = window.devicePixelRatio > 1 && tiles.hidpi_url;
  return new TileLayer({
    source: new XYZ({
      url: (hidpi ? tiles.hidpi_url : tiles.url).replace('{map}', id),
      tilePixelRatio: hidpi ? 2 : 1,
      transition: 0, // drawn as they arrive: no fade-in delaying the complete map
      attributions: attribution,
      maxZoom: MAX_ZOOM,
      tileLoadFunction: loadTile,
    }),
    className: 'cached-layer',
    visible: false,
  });
}

function externalTileLayer(external) {
  return new TileLayer({
    source: new XYZ({ url: external.url, attributions: external.attribution, maxZoom: external.max_zoom, crossOrigin: 'anonymous' }),
  });
}

/**
 * The map with only what its first frame draws: the view and the tile
 * layers (the external base map, the cached tiles) from `tiles`,
 * `attribution`, `external` and the city's `extent`, which the page's boot
 * data carries too. Everything a tile source needs is given here: changing a
 * source later (even its attribution) makes OpenLayers drop the tiles it has
 * and can leave tiles it had queued unloaded, the map never complete.
 */
function openMap({ target, tiles, attribution, external, extent, id, state }) {
  const externalLayer = external ? externalTileLayer(external) : null;
  const cachedLayer = tiles ? cachedTileLayer(tiles, id, attribution) : null;
  const view = new View({ projection: 'EPSG:3857', minZoom: MIN_ZOOM, maxZoom: MAX_ZOOM, constrainResolution: false });
  // Drawn at most twice as dense as CSS pixels: the cache's densest tiles are
  // 512 px (twice 256), so a canvas of 3 device pixels per CSS pixel would only
  // stretch them, at 2.25 times the pixels to clear, draw and composite each frame.
  const pixelRatio = Math.min(window.devicePixelRatio || 1, 2);
  // Every tile of a start view is loaded at once (OpenLayers' default is 16,
  // then the rest a frame later): the page's head has asked for them already.
  const maxTilesLoading = 64;
  // The controls come with the strings of their tooltips (createMap).
  const map = new Map({ target, layers: [externalLayer, cachedLayer].filter(Boolean), view, controls: [], pixelRatio, maxTilesLoading });
  if (state.center && state.zoom !== null) {
    view.setCenter(fromLonLat(state.center));
    view.setZoom(state.zoom);
  } else {
    view.fit(transformExtent(extent, 'EPSG:4326', 'EPSG:3857'), { size: map.getSize() || [800, 600] });
  }
  return { map, view, cachedLayer, externalLayer };
}

/**
 * The map's start view drawn from the tile cache at once, from the page's
 * boot data (lib/starttiles.js), while config.json and the strings (which
 * the rest of the map needs) are still arriving; null when the address asks
 * for another view or the page has no boot data. createMap({ opened }) then
 * completes the same map.
 */
export function openStartView({ target, data, state }) {
  const id = cachedStartView(data, state);
  if (!id) return null;
  const opened = openMap({ target, tiles: data.tiles, attribution: data.attribution, external: data.external, extent: data.extent, id, state });
  opened.cachedLayer.setVisible(true);
  // Its first complete frame: the page builds the rest of itself after it (viewer.js).
  opened.drawn = new Promise((resolve) => opened.map.once('rendercomplete', resolve));
  return opened;
}

/**
 * mapSpec: one map of config.maps; state: from permalink.parseState;
 * opened: what openStartView returned for the same map and state, if it did.
 * Returns the map and the operations the page needs (`opened` itself, when given).
 */
export function createMap({ target, config, mapSpec, state, controls = true, opened = null }) {
  const layerNames = mapSpec.layers.map((l) => l.name);
  const requested = state.layers ? state.layers.filter((name) => layerNames.includes(name)) : null;
  const visible = new Set(requested ?? mapSpec.layers.filter((l) => l.visible).map((l) => l.name));
  const filters = new globalThis.Map();

  const viewer =
    opened ??
    openMap({ target, tiles: config.tiles, attribution: config.attribution, external: config.external_base_map, extent: config.city.extent, id: mapSpec.id, state });
  const { map, view, cachedLayer, externalLayer } = viewer;
  // Over the tile layers, in this order: the city's base layers that this map does not draw itself, then the map.
  let baseLayer = null;
  if (mapSpec.base_layers.length) {
    const source = wmsSource(config.base_map.project, config.attribution);
    source.updateParams({ LAYERS: [...mapSpec.base_layers].reverse().join(',') });
    baseLayer = new ImageLayer({ source, visible: false, className: 'base-layer' });
    map.addLayer(baseLayer);
  }
  const source = wmsSource(mapSpec.id, config.attribution);
  const mapLayer = new ImageLayer({ source, className: 'map-layer', visible: false });
  map.addLayer(mapLayer);
  const startNames = mapSpec.layers.filter((l) => l.visible).map((l) => l.name);
  let baseOn = state.base;
  for (const control of mapControls(controls)) map.addControl(control);

  let overlays = null; // highlight and marker (lib/overlays.js), loaded when first needed
  const withOverlays = () => (overlays ??= import('./overlays.js').then((module) => module.createOverlays(map)));
  // The map is named for assistive technology; #map-help says how to use it by keyboard.
  map.getTargetElement().setAttribute('aria-label', t('map.label', { title: tr(mapSpec.title) }));

  function refreshLayers() {
    // WMS draws the last name on top; the declaration lists the top layer first.
    const names = mapSpec.layers.filter((l) => visible.has(l.name)).map((l) => l.name).reverse();
    const filter = [...filters.entries()].filter(([name]) => visible.has(name)).map(([name, expr]) => `${name}:${expr}`);
    const params = { LAYERS: names.join(',') };
    params.FILTER = filter.length ? filter.join(';') : undefined;
    source.updateParams(params);
    const startView = cachedLayer !== null && !filter.length && (!baseLayer || baseOn)
      && names.length === startNames.length && startNames.every((name) => visible.has(name));
    if (cachedLayer) cachedLayer.setVisible(startView);
    mapLayer.setVisible(!startView && names.length > 0);
    if (baseLayer) baseLayer.setVisible(!startView && baseOn);
  }
  refreshLayers();

  return Object.assign(viewer, {
    source,
    baseLayer,
    externalLayer,
    mapSpec,
    visibleLayers: () => mapSpec.layers.filter((l) => visible.has(l.name)).map((l) => l.name),
    setLayerVisible(name, on) {
      if (on) visible.add(name);
      else visible.delete(name);
      refreshLayers();
      map.dispatchEvent('layerschange');
    },
    setBaseVisible(on) {
      baseOn = on;
      refreshLayers();
      map.dispatchEvent('layerschange');
    },
    baseVisible: () => (baseLayer ? baseOn : true),
    /** Whether the map is drawn from the tile cache (its start view) rather than by WMS. */
    fromCache: () => cachedLayer !== null && cachedLayer.getVisible(),
    /** Show only features of a layer that match a QGIS Server FILTER expression (null: all). */
    setFilter(name, expression) {
      if (expression) filters.set(name, expression);
      else filters.delete(name);
      refreshLayers();
    },
    /** The layer's current filter expression (null: all features). */
    filterOf: (name) => filters.get(name) ?? null,
    centerLonLat: () => toLonLat(view.getCenter()),
    /** Zoom to GeoJSON features (EPSG:4326) and mark them; resolves to whether any had a geometry. */
    async showFeatures(features, { maxZoom = 18 } = {}) {
      const extent = (await withOverlays()).show(features);
      if (!extent) return false;
      view.fit(extent, { maxZoom, padding: [60, 60, 60, 60], duration: 0 });
      return true;
    },
    clearHighlight: () => overlays?.then((o) => o.clear()),
    /** Mark the point a pop-up tells about (null: none). */
    markPoint(coordinate) {
      if (coordinate || overlays) withOverlays().then((o) => o.mark(coordinate));
    },
  });
}
