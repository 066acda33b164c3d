// «Друк»: the current view printed by QGIS Server's GetPrint with the
// project's layouts (A4/A3, portrait/landscape), as PDF or PNG: the view's
// extent, its layers and their filter, the title, and the view's address for
// the QR code. And «Витяг (PDF)» in a pop-up: the one-page extract of an
// object (an atlas layout chosen by ATLAS_PK).
import { el } from './dom.js';
import { t, tr } from './i18n.js';
import { owsPath } from './ows.js';

const DPI = { pdf: '150', png: '120' };
const TYPES = { pdf: 'application/pdf', png: 'image/png' };

/** The view's extent widened to the shape of the template's map (QGIS Server reshapes the map to the extent). */
export function printExtent(viewer, mapMm) {
  const [x0, y0, x1, y1] = viewer.view.calculateExtent(viewer.map.getSize());
  const [cx, cy] = [(x0 + x1) / 2, (y0 + y1) / 2];
  let [w, h] = [x1 - x0, y1 - y0];
  const shape = mapMm[0] / mapMm[1];
  if (w / h < shape) w = h * shape;
  else h = w / shape;
  return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
}

export function printUrl(viewer, { template, format, title, mapMm }) {
  const wms = viewer.source.getParams();
  const params = new URLSearchParams({
    SERVICE: 'WMS',
    VERSION: '1.3.0',
    REQUEST: 'GetPrint',
    TEMPLATE: template,
    FORMAT: format,
    DPI: DPI[format],
    CRS: 'EPSG:3857',
    'map0:EXTENT': printExtent(viewer, mapMm).map((v) => v.toFixed(2)).join(','),
    'map0:LAYERS': wms.LAYERS || '',
    PERMALINK: location.href,
  });
  if (wms.FILTER) params.set('FILTER', wms.FILTER);
  if (title) params.set('title', title);
  return `${owsPath(viewer.mapSpec.id)}?${params}`;
}

export function extractUrl(projectId, layerName, featureId) {
  const params = new URLSearchParams({
    SERVICE: 'WMS',
    VERSION: '1.3.0',
    REQUEST: 'GetPrint',
    TEMPLATE: `extract-${layerName}`,
    FORMAT: 'pdf',
    DPI: DPI.pdf,
    CRS: 'EPSG:3857',
    ATLAS_PK: String(featureId),
    PERMALINK: location.href,
  });
  return `${owsPath(projectId)}?${params}`;
}

/** Fetch a printed file and hand it to the browser as a download; the server's refusal as text. */
async function fetchPrint(url, name, type) {
  const response = await fetch(url);
  const body = await response.blob();
  if (!response.ok || !body.type.startsWith(type)) {
    const text = await body.text();
    const reason = /<ServiceException[^>]*>([^<]*)</.exec(text)?.[1];
    throw new Error(reason || `HTTP ${response.status}`);
  }
  const link = el('a', { href: URL.createObjectURL(body), download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

export function setupPrint(viewer, config) {
  const templates = config.print?.templates ?? [];
  const button = el('button', { type: 'button', id: 'print-open' }, t('print.button'));
  document.querySelector('.topbar-actions')?.prepend(button);
  const template = el('select', { id: 'print-template' }, templates.map(({ name }) => el('option', { value: name }, t(`print.template.${name}`))));
  const format = el('select', { id: 'print-format' }, el('option', { value: 'pdf' }, 'PDF'), el('option', { value: 'png' }, 'PNG'));
  const title = el('input', { id: 'print-title', type: 'text', maxlength: '200', value: tr(viewer.mapSpec.title) });
  const status = el('p', { id: 'print-status', class: 'muted small', role: 'status' });
  const submit = el('button', { type: 'button', id: 'print-submit' }, t('print.submit'));
  const dialog = el(
    'dialog',
    { id: 'print-dialog', class: 'embed-dialog', 'aria-labelledby': 'print-heading' },
    el(
      'form',
      { method: 'dialog' },
      el('h2', { id: 'print-heading' }, t('print.heading')),
      el('p', {}, t('print.intro')),
      el('label', {}, t('print.title'), ' ', title),
      el('label', {}, t('print.paper'), ' ', template),
      el('label', {}, t('print.format'), ' ', format),
      status,
      el('div', { class: 'dialog-actions' }, submit, el('button', { value: 'close' }, t('dialog.close'))),
    ),
  );
  document.body.append(dialog);
  button.addEventListener('click', () => {
    status.textContent = '';
    dialog.showModal();
  });
  submit.addEventListener('click', async () => {
    status.textContent = t('print.preparing');
    submit.disabled = true;
    try {
      const mapMm = templates.find((entry) => entry.name === template.value).map_mm;
      const url = printUrl(viewer, { template: template.value, format: format.value, title: title.value.trim(), mapMm });
      await fetchPrint(url, `${viewer.mapSpec.id}-${template.value}.${format.value}`, TYPES[format.value]);
      status.textContent = t('print.done');
    } catch (error) {
      status.textContent = `${t('print.error')} ${error.message}`;
    } finally {
      submit.disabled = false;
    }
  });

  /** Pop-up actions: «Витяг (PDF)» for objects of the layers that have an extract. */
  return function extractActions(layerName, properties, feature) {
    const featureId = String(feature?.id ?? '').split('.').pop();
    if (!(layerName in (config.print?.extracts ?? {})) || !featureId) return [];
    const action = el('button', { type: 'button', class: 'link-button extract-button' }, t('print.extract'));
    action.addEventListener('click', async () => {
      action.disabled = true;
      try {
        await fetchPrint(extractUrl(viewer.mapSpec.id, layerName, featureId), `${layerName}-${featureId}.pdf`, TYPES.pdf);
      } catch (error) {
        action.textContent = `${t('print.error')} ${error.message}`;
      } finally {
        action.disabled = false;
      }
    });
    return [action];
  };
}
