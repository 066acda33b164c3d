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
 * mapSpec: one map of config.maps; state: from permalink.parseState.
 * Returns the map and the operations the page needs.
 */
export function createMap({ target, config, mapSpec, state, controls = true }) {
  const layerNames = mapSpec.layers.map((l) => l.name);
  const requested = state.layers ? state.layers.filter((name) => layerNames.includes(name)) : null;
  const visible = new Set(requested ?? mapSpec.layers.filter((l) => l.visible).map((l) => l.name));
  const filters = new globalThis.Map();

  const layers = [];
  const external = config.external_base_map;
  let externalLayer = null;
  if (external) {
    externalLayer = new TileLayer({
      source: new XYZ({ url: external.url, attributions: external.attribution, maxZoom: external.max_zoom, crossOrigin: 'anonymous' }),
    });
    layers.push(externalLayer);
  }
  // The city's base layers that this map does not draw itself.
  let baseLayer = null;
  if (mapSpec.base_layers.length) {
    const source = wmsSource(config.base_map.project, config.attribution);
    source.updateParams({ LAYERS: [...mapSpec.base_layers].reverse().join(',') });
    baseLayer = new ImageLayer({ source, visible: false, className: 'base-layer' });
    layers.push(baseLayer);
  }
  const source = wmsSource(mapSpec.id, config.attribution);
  const mapLayer = new ImageLayer({ source, className: 'map-layer' });
  layers.push(mapLayer);
  const startNames = mapSpec.layers.filter((l) => l.visible).map((l) => l.name);
  let cachedLayer = null;
  if (config.tiles) {
    // Screens of high pixel density get the cache's 512 px tiles (the boot script asked for the same ones).
    const hidpi = window.devicePixelRatio > 1 && config.tiles.hidpi_url;
    cachedLayer = new TileLayer({
      source: new XYZ({
        url: (hidpi ? config.tiles.hidpi_url : config.tiles.url).replace('{map}', mapSpec.id),
        tilePixelRatio: hidpi ? 2 : 1,
        transition: 0, // drawn as they arrive: no fade-in delaying the complete map
        attributions: config.attribution,
        maxZoom: 20,
      }),
      className: 'cached-layer',
      visible: false,
    });
    layers.splice(externalLayer ? 1 : 0, 0, cachedLayer);
  }
  let baseOn = state.base;

  const view = new View({ projection: 'EPSG:3857', minZoom: 9, maxZoom: 20, constrainResolution: false });
  const map = new Map({
    target,
    layers,
    view,
    controls: mapControls(controls),
  });
  let overlays = null; // highlight and marker (lib/overlays.js), loaded when first needed
  const withOverlays = () => (overlays ??= import('./overlays.js').then((module) => module.createOverlays(map)));
  // The map is named for assistive technology; #map-help says how to use it by keyboard.
  map.getTargetElement().setAttribute('aria-label', t('map.label', { title: tr(mapSpec.title) }));
  if (state.center && state.zoom !== null) {
    view.setCenter(fromLonLat(state.center));
    view.setZoom(state.zoom);
  } else {
    view.fit(transformExtent(config.city.extent, 'EPSG:4326', 'EPSG:3857'), { size: map.getSize() || [800, 600] });
  }

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

  return {
    map,
    view,
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
  };
}
