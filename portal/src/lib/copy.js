// A copy-to-clipboard button next to an address.
import { el } from './dom.js';
import { t } from './i18n.js';

export function copyField(value, label) {
  const input = el('input', { type: 'text', value, readonly: true, 'aria-label': label, class: 'copy-value' });
  input.addEventListener('focus', () => input.select());
  const button = el('button', { type: 'button', class: 'copy-button' }, t('copy.button'));
  button.addEventListener('click', () => copyText(value, input, button));
  return el('div', { class: 'copy-field' }, input, button);
}

export async function copyText(value, input, button) {
  try {
    await navigator.clipboard.writeText(value);
    button.textContent = t('copy.done');
  } catch {
    // Clipboard API refused (insecure origin, permissions): select for Ctrl+C.
    input.focus();
    input.select();
    button.textContent = t('copy.failed');
  }
  setTimeout(() => {
    button.textContent = t('copy.button');
  }, 2000);
}
