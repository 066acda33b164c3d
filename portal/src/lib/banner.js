// The "generated demonstration data" label every page carries while the
// portal serves generated data (config.generated_data).
import { t } from './i18n.js';

export function showDemoBanner(config, { short = false } = {}) {
  const banner = document.getElementById('demo-banner');
  if (!banner || !config.generated_data) return;
  banner.textContent = short ? t('demo.short') : t('demo.label');
  banner.title = t('demo.label');
  banner.hidden = false;
}
