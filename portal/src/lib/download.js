// «Завантажити»: a layer of the open map, or just what the thematic view
// selected on it, as CSV, GeoJSON or XLSX. The features come from the
// published WFS (GetFeature as GeoJSON in WGS 84, with the layer's current
// filter as QGIS Server's EXP_FILTER), so a download holds exactly what the
// map shows; the columns carry the fields' labels in the page's language
// and classifier codes are written as their labels. XLSX is written in the
// browser with ExcelJS, loaded only when asked for.
import { el } from './dom.js';
import { t, tr } from './i18n.js';
import { getFeatures } from './ows.js';

const FORMATS = ['csv', 'geojson', 'xlsx'];
const LABELS = { csv: 'CSV', geojson: 'GeoJSON', xlsx: 'XLSX (Excel)' };
// The browser builds the file in memory: a cap that a city's layer fits in
// (read in pages of the server's WFS cap, lib/ows.js).
const MAX_FEATURES = 100000;

export async function layerFeatures(projectId, layerName, expression) {
  return getFeatures(projectId, layerName, { expression, limit: MAX_FEATURES });
}

/** Column titles and cell values of a layer's public fields, in the page's language. */
export function table(layer, features, classifiers) {
  const fields = layer.fields;
  const header = fields.map((f) => tr(f.label));
  const rows = features.map((feature) =>
    fields.map((f) => {
      const value = feature.properties?.[f.name];
      if (value === null || value === undefined) return null;
      if (f.classifier) {
        const item = classifiers?.[f.classifier]?.[value];
        return item ? tr(item) : value;
      }
      if (f.type === 'bool') return value ? t('download.yes') : t('download.no');
      return value;
    }),
  );
  return { header, rows };
}

function csvCell(value) {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv({ header, rows }) {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function toGeoJson(layer, features, { header, rows }) {
  return JSON.stringify({
    type: 'FeatureCollection',
    name: layer.name,
    features: features.map((feature, i) => ({
      type: 'Feature',
      geometry: feature.geometry ?? null,
      properties: Object.fromEntries(header.map((title, j) => [title, rows[i][j]])),
    })),
  });
}

async function toXlsx(title, { header, rows }) {
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(title.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '));
  sheet.addRow(header).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return book.xlsx.writeBuffer();
}

function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = el('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export async function downloadLayer(viewer, config, layerName, format) {
  const layer = viewer.mapSpec.layers.find((l) => l.name === layerName);
  const features = await layerFeatures(viewer.mapSpec.id, layerName, viewer.filterOf?.(layerName) ?? null);
  const data = table(layer, features, config.classifiers);
  const name = `${layerName}.${format}`;
  if (format === 'csv') save(new Blob([toCsv(data)], { type: 'text/csv;charset=utf-8' }), name);
  else if (format === 'geojson') save(new Blob([toGeoJson(layer, features, data)], { type: 'application/geo+json' }), name);
  else save(new Blob([await toXlsx(tr(layer.title), data)], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), name);
  return features.length;
}

/** The «Завантажити» box under the layer switcher: a layer (with its current filter) in three formats. */
export function setupDownloads(container, viewer, config) {
  const select = el(
    'select',
    { id: 'download-layer', 'aria-label': t('download.layer') },
    viewer.mapSpec.layers.map((l) => el('option', { value: l.name }, tr(l.title))),
  );
  const status = el('p', { class: 'muted small', id: 'download-status', role: 'status' });
  const buttons = FORMATS.map((format) =>
    el(
      'button',
      {
        type: 'button',
        class: 'button secondary',
        dataset: { format },
        onclick: async () => {
          status.textContent = t('download.preparing');
          try {
            const count = await downloadLayer(viewer, config, select.value, format);
            const filtered = viewer.filterOf?.(select.value);
            status.textContent = t(filtered ? 'download.done_filtered' : 'download.done', { count });
          } catch (error) {
            status.textContent = t('download.error');
            console.warn('download', error);
          }
        },
      },
      LABELS[format],
    ),
  );
  container.append(
    el(
      'section',
      { class: 'downloads', 'aria-labelledby': 'download-heading' },
      el('h2', { id: 'download-heading' }, t('download.heading')),
      el('label', { for: 'download-layer' }, t('download.layer')),
      select,
      el('div', { class: 'card-actions' }, buttons),
      status,
    ),
  );
}
