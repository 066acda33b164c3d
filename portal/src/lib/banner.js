// The "generated demonstration data" label every page carries while the
// portal serves generated data (config.generated_data). A phone shows the
// short form (the header stays small); the landing page explains it in full.
import { el } from './dom.js';
import { t } from './i18n.js';

export function showDemoBanner(config, { short = false } = {}) {
  const banner = document.getElementById('demo-banner');
  if (!banner || !config.generated_data) return;
  if (short) banner.replaceChildren(t('demo.short'));
  else banner.replaceChildren(el('span', { class: 'demo-long' }, t('demo.label')), el('span', { class: 'demo-short' }, t('demo.short')));
  banner.title = t('demo.label');
  banner.hidden = false;
}
