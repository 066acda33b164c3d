// The first script of every page, inlined in its <head>: asks for the
// strings of the page's language while the rest of the page is still
// arriving (the application reads them from the same address).
import { chooseLanguage } from './lib/language.js';

const link = document.createElement('link');
link.rel = 'preload';
link.as = 'fetch';
link.crossOrigin = 'anonymous';
link.href = `/i18n/${chooseLanguage()}.json`;
document.head.append(link);
