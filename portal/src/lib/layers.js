// The layer switcher with a legend (GetLegendGraphic) under each layer.
import { el, clear } from './dom.js';
import { t, tr } from './i18n.js';
import { legendUrl } from './ows.js';

export function layerSwitcher(container, viewer, config) {
  clear(container);
  const list = el('ul', { class: 'layer-list' });
  const visible = new Set(viewer.visibleLayers());
  for (const layer of viewer.mapSpec.layers) {
    const id = `layer-${layer.name}`;
    const checkbox = el('input', { type: 'checkbox', id, checked: visible.has(layer.name), dataset: { layer: layer.name } });
    checkbox.addEventListener('change', () => viewer.setLayerVisible(layer.name, checkbox.checked));
    const legend = el('img', {
      class: 'legend',
      alt: `${t('viewer.legend')}: ${tr(layer.title)}`,
      loading: 'lazy',
      src: legendUrl(viewer.mapSpec.id, layer.name),
    });
    const details = el('details', { class: 'layer-legend' }, el('summary', {}, t('viewer.legend')), legend, el('p', { class: 'layer-abstract' }, tr(layer.abstract)));
    list.append(el('li', { class: 'layer-item' }, el('label', { for: id }, checkbox, ' ', tr(layer.title)), details));
  }
  if (viewer.baseLayer) {
    const checkbox = el('input', { type: 'checkbox', id: 'layer-base', checked: viewer.baseVisible() });
    checkbox.addEventListener('change', () => viewer.setBaseVisible(checkbox.checked));
    list.append(el('li', { class: 'layer-item layer-base' }, el('label', { for: 'layer-base' }, checkbox, ' ', t('viewer.base_map'))));
  }
  if (viewer.externalLayer) {
    const checkbox = el('input', { type: 'checkbox', id: 'layer-external', checked: true });
    checkbox.addEventListener('change', () => viewer.externalLayer.setVisible(checkbox.checked));
    list.append(el('li', { class: 'layer-item' }, el('label', { for: 'layer-external' }, checkbox, ' ', t('viewer.external_base_map'))));
  }
  container.append(list);
}
