// The web mercator tile grid of the tile cache (XYZ, 256 px, rows from the
// top) and which tiles a view needs, chosen as OpenLayers chooses them: the
// level whose resolution is nearest to the view's, every tile the view's
// extent touches. Used by the boot script before OpenLayers is loaded.
const HALF = 20037508.342789244;
const TILE = 256;
const RESOLUTION_0 = (2 * HALF) / TILE;

export function resolutionOfZoom(zoom) {
  return RESOLUTION_0 / 2 ** zoom;
}

export function fromLonLat([lon, lat]) {
  const x = (lon * HALF) / 180;
  const y = Math.log(Math.tan(((90 + lat) * Math.PI) / 360)) * (HALF / Math.PI);
  return [x, Math.max(-HALF, Math.min(HALF, y))];
}

/** Centre and resolution that fit a lon/lat extent into a size in pixels (OpenLayers' view.fit). */
export function fitExtent([lon0, lat0, lon1, lat1], [width, height]) {
  const [x0, y0] = fromLonLat([lon0, lat0]);
  const [x1, y1] = fromLonLat([lon1, lat1]);
  return { center: [(x0 + x1) / 2, (y0 + y1) / 2], resolution: Math.max((x1 - x0) / width, (y1 - y0) / height) };
}

/** The level whose resolution is nearest (OpenLayers' linearFindNearest with direction 0). */
export function levelFor(resolution, maxZoom) {
  if (resolution >= RESOLUTION_0) return 0;
  for (let z = 1; z <= maxZoom; z += 1) {
    const finer = resolutionOfZoom(z);
    if (finer === resolution) return z;
    if (finer < resolution) return resolutionOfZoom(z - 1) - resolution < resolution - finer ? z - 1 : z;
  }
  return maxZoom;
}

/** [z, x, y] of every tile a view of `size` pixels at `center` (EPSG:3857) and `resolution` shows. */
export function tilesForView(center, resolution, [width, height], maxZoom = 20) {
  const z = levelFor(resolution, maxZoom);
  const span = resolutionOfZoom(z) * TILE;
  const last = 2 ** z - 1;
  const column = (x) => (x + HALF) / span;
  const row = (y) => (HALF - y) / span;
  const clamp = (n) => Math.max(0, Math.min(last, n));
  const x0 = clamp(Math.floor(column(center[0] - (resolution * width) / 2)));
  const x1 = clamp(Math.ceil(column(center[0] + (resolution * width) / 2)) - 1);
  const y0 = clamp(Math.floor(row(center[1] + (resolution * height) / 2)));
  const y1 = clamp(Math.ceil(row(center[1] - (resolution * height) / 2)) - 1);
  const tiles = [];
  for (let x = x0; x <= x1; x += 1) for (let y = y0; y <= y1; y += 1) tiles.push([z, x, y]);
  return tiles;
}
