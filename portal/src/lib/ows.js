// Addresses and requests of the published OGC services: the browser
// reads only what QGIS Server publishes, never the database.
import { fetchJson } from './http.js';

export function owsPath(projectId) {
  return `/ows/${encodeURIComponent(projectId)}`;
}

export function absolute(path) {
  return new URL(path, location.origin).href;
}

export function serviceUrls(projectId) {
  const base = absolute(owsPath(projectId));
  return { wms: base, wfs: base, ogcapi: `${base}/wfs3` };
}

export function legendUrl(projectId, layerName) {
  const params = new URLSearchParams({
    SERVICE: 'WMS',
    VERSION: '1.3.0',
    REQUEST: 'GetLegendGraphic',
    LAYER: layerName,
    FORMAT: 'image/png',
    LAYERTITLE: 'false',
    SYMBOLWIDTH: '5',
    SYMBOLHEIGHT: '3.5',
    ITEMFONTSIZE: '8',
    TRANSPARENT: 'true',
  });
  return `${owsPath(projectId)}?${params}`;
}

function escapeXml(value) {
  return String(value).replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]);
}

// OGC Filter Encoding 1.1 for WFS 1.1.0 GetFeature.
export const filter = {
  equals: (field, value) =>
    `<PropertyIsEqualTo><PropertyName>${escapeXml(field)}</PropertyName><Literal>${escapeXml(value)}</Literal></PropertyIsEqualTo>`,
  // Case-insensitive; "*" is the wildcard, other special characters are escaped.
  like: (field, pattern) =>
    `<PropertyIsLike wildCard="*" singleChar="?" escapeChar="!" matchCase="false"><PropertyName>${escapeXml(field)}</PropertyName><Literal>${escapeXml(pattern)}</Literal></PropertyIsLike>`,
  and: (...parts) => (parts.length === 1 ? parts[0] : `<And>${parts.join('')}</And>`),
  or: (...parts) => (parts.length === 1 ? parts[0] : `<Or>${parts.join('')}</Or>`),
  document: (part) => `<Filter xmlns="http://www.opengis.net/ogc">${part}</Filter>`,
};

export function escapeLike(text) {
  return String(text).replace(/[!*?]/g, (c) => `!${c}`);
}

/**
 * GeoJSON features (EPSG:4326) of one WFS type, optionally filtered.
 * where: an OGC filter (filter.*); expression: a QGIS expression (EXP_FILTER).
 * properties: only these fields (WFS PROPERTYNAME; the geometry comes too),
 * so a view downloads what it shows and no more.
 * maxFeatures: at most so many (one request); without it, every feature.
 */
export async function getFeatures(
  projectId,
  typeName,
  { where = null, expression = null, maxFeatures = null, properties = null, limit = 100000 } = {},
) {
  const params = new URLSearchParams({
    SERVICE: 'WFS',
    VERSION: '1.1.0',
    REQUEST: 'GetFeature',
    TYPENAME: typeName,
    OUTPUTFORMAT: 'application/vnd.geo+json',
    SRSNAME: 'EPSG:4326',
  });
  if (where) params.set('FILTER', filter.document(where));
  if (expression) params.set('EXP_FILTER', expression);
  if (properties) params.set('PROPERTYNAME', [...properties, 'geometry'].join(','));
  if (maxFeatures) {
    params.set('MAXFEATURES', String(maxFeatures));
    const collection = await fetchJson(`${owsPath(projectId)}?${params}`);
    return collection.features || [];
  }
  return allPages(projectId, params, limit);
}

// The server answers one GetFeature with at most its feature cap
// (ZGIS_WFS_MAX_FEATURES, 5000 in production), so a whole layer is read in
// pages: ordered by the published key so that pages neither overlap nor
// skip a feature, each from where the last ended, until one comes back
// empty (the cap is the server's to choose; the portal does not assume it).
async function allPages(projectId, params, limit) {
  const features = [];
  params.set('SORTBY', 'id ASC');
  for (;;) {
    params.set('STARTINDEX', String(features.length));
    params.set('MAXFEATURES', String(limit - features.length));
    const page = (await fetchJson(`${owsPath(projectId)}?${params}`)).features || [];
    for (const feature of page) features.push(feature);
    if (page.length === 0 || features.length >= limit) return features;
  }
}

/** Every item of an OGC API Features collection matching simple attribute queries (follows paging). */
export async function ogcItems(projectId, collection, query = {}, pageSize = 500) {
  let url = `${owsPath(projectId)}/wfs3/collections/${encodeURIComponent(collection)}/items.json?${new URLSearchParams({
    ...query,
    limit: String(pageSize),
  })}`;
  const items = [];
  for (let page = 0; url && page < 100; page += 1) {
    const body = await fetchJson(url);
    items.push(...(body.features || []));
    const next = (body.links || []).find((link) => link.rel === 'next');
    url = next && (body.features || []).length ? next.href : null;
  }
  return items;
}
