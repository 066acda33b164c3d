// Ukrainian by default, English on request: strings in one JSON per
// language (/i18n/uk.json, /i18n/en.json). The choice is kept in
// localStorage; ?lang=en in the address wins (embedded maps use it).
import { fetchJson } from './http.js';

const STORAGE_KEY = 'zgis.lang';
export const LANGUAGES = ['uk', 'en'];
let language = 'uk';
let strings = {};

export function currentLanguage() {
  return language;
}

export function locale() {
  return language === 'uk' ? 'uk-UA' : 'en-GB';
}

function storedLanguage() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage may be blocked inside third-party iframes
  }
}

export async function initI18n() {
  const requested = new URLSearchParams(location.search).get('lang');
  const stored = storedLanguage();
  language = LANGUAGES.includes(requested) ? requested : LANGUAGES.includes(stored) ? stored : 'uk';
  strings = await fetchJson(`/i18n/${language}.json`);
  document.documentElement.lang = language;
  applyTranslations(document);
  const button = document.getElementById('lang-switch');
  if (button) {
    button.textContent = t('lang.switch');
    button.setAttribute('aria-label', t('lang.switch_label'));
    button.addEventListener('click', () => switchLanguage(language === 'uk' ? 'en' : 'uk'));
  }
}

function switchLanguage(next) {
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // without storage the address carries the language
  }
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
