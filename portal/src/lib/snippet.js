// The embed snippet generator: an <iframe> of /embed with the viewer's
// current map, layers and view.
import { t, tr } from './i18n.js';
import { copyText } from './copy.js';
import { absolute } from './ows.js';

export function embedUrl(viewer, lang) {
  const [lon, lat] = viewer.centerLonLat();
  const params = new URLSearchParams({
    map: viewer.mapSpec.id,
    layers: viewer.visibleLayers().join(','),
    center: `${lon.toFixed(5)},${lat.toFixed(5)}`,
    zoom: viewer.view.getZoom().toFixed(2),
  });
  if (!viewer.baseVisible()) params.set('base', 'off');
  if (lang && lang !== 'uk') params.set('lang', lang);
  return absolute(`/embed?${params}`);
}

function escapeAttribute(value) {
  return String(value).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function snippet(url, width, height, title) {
  return `<iframe src="${escapeAttribute(url)}" width="${width}" height="${height}" style="border:0" loading="lazy" title="${escapeAttribute(title)}" allowfullscreen></iframe>`;
}

export function setupEmbedDialog(viewer, config) {
  const dialog = document.getElementById('embed-dialog');
  const code = document.getElementById('embed-code');
  const width = document.getElementById('embed-width');
  const height = document.getElementById('embed-height');
  const preview = document.getElementById('embed-preview');
  const clamp = (input) => Math.min(2000, Math.max(200, Number(input.value) || 400));
  const update = () => {
    const url = embedUrl(viewer, document.documentElement.lang);
    code.value = snippet(url, clamp(width), clamp(height), tr(viewer.mapSpec.title));
    if (preview.src !== url) preview.src = url;
  };
  document.getElementById('embed-open').addEventListener('click', () => {
    update();
    dialog.showModal();
  });
  width.addEventListener('input', update);
  height.addEventListener('input', update);
  document.getElementById('embed-copy').addEventListener('click', (event) => copyText(code.value, code, event.currentTarget));
  preview.title = t('embed.heading');
}
