// Ukrainian by default, English on request: strings in one JSON per
// language (/i18n/uk.json, /i18n/en.json; the boot script has already
// asked for the page's one). The choice is kept in localStorage; ?lang=en
// in the address wins (embedded maps use it).
import { fetchJson } from './http.js';
import { chooseLanguage, rememberLanguage } from './language.js';

export { LANGUAGES } from './language.js';
let language = 'uk';
let strings = {};

export function currentLanguage() {
  return language;
}

export function locale() {
  return language === 'uk' ? 'uk-UA' : 'en-GB';
}

export async function initI18n() {
  language = chooseLanguage();
  strings = await fetchJson(`/i18n/${language}.json`);
  document.documentElement.lang = language;
  applyTranslations(document);
  const button = document.getElementById('lang-switch');
  if (button) {
    // The visible name is the accessible name (WCAG 2.5.3), in its own language (3.1.2).
    const other = language === 'uk' ? 'en' : 'uk';
    button.textContent = t('lang.switch');
    button.lang = other;
    button.title = t('lang.switch_label');
    button.addEventListener('click', () => switchLanguage(other));
  }
}

function switchLanguage(next) {
  rememberLanguage(next);
  const url = new URL(location.href);
  url.searchParams.set('lang', next);
  location.replace(url.href);
}

/** A UI string, with {name} placeholders filled from vars. */
export function t(key, vars = {}) {
  let text = strings[key] ?? key;
  for (const [name, value] of Object.entries(vars)) text = text.replaceAll(`{${name}}`, String(value));
  return text;
}

/** The current language's text of a {uk, en} object from config.json. */
export function tr(text) {
  if (text === null || text === undefined) return '';
  if (typeof text === 'string') return text;
  return text[language] || text.uk || '';
}

export function applyTranslations(root) {
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll('[data-i18n-placeholder]')) {
    node.setAttribute('placeholder', t(node.dataset.i18nPlaceholder));
  }
  for (const node of root.querySelectorAll('[data-i18n-aria-label]')) {
    node.setAttribute('aria-label', t(node.dataset.i18nAriaLabel));
  }
}
