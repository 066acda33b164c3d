// Which language a page shows: ?lang= in the address wins (embedded maps
// use it), then the visitor's last choice (localStorage), then Ukrainian.
// Pure enough for the boot script, which asks for the strings early.
const STORAGE_KEY = 'zgis.lang';
export const LANGUAGES = ['uk', 'en'];

function storedLanguage() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage may be blocked inside third-party iframes
  }
}

export function chooseLanguage() {
  const requested = new URLSearchParams(location.search).get('lang');
  const stored = storedLanguage();
  return LANGUAGES.includes(requested) ? requested : LANGUAGES.includes(stored) ? stored : 'uk';
}

export function rememberLanguage(language) {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // without storage the address carries the language
  }
}
