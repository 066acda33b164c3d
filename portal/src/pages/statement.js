// The accessibility statement (as Ukrainian public sites publish it, after
// the model of Commission Implementing Decision (EU) 2018/1523): what
// conforms to ДСТУ EN 301 549:2022 / WCAG 2.1 AA, what does not yet, and
// whom to write to (the contact of the published services, config.json).
import '../styles/portal.css';
import { loadConfig } from '../lib/config.js';
import { el } from '../lib/dom.js';
import { initI18n, t } from '../lib/i18n.js';

async function main() {
  const configRequest = loadConfig();
  configRequest.catch(() => {});
  await initI18n();
  document.title = `${t('statement.heading')} — ${t('site.title')}`;
  const list = document.getElementById('statement-contact');
  try {
    const { contact } = await configRequest;
    list.append(
      el('li', {}, `${t('statement.email')}: `, el('a', { href: `mailto:${contact.mail}` }, contact.mail)),
      el('li', {}, `${t('statement.phone')}: `, el('a', { href: `tel:${contact.phone.replace(/\s/g, '')}` }, contact.phone)),
      el('li', {}, contact.organization, ', ', contact.person),
    );
  } catch {
    list.append(el('li', { class: 'error' }, t('landing.load_error')));
  }
  document.body.dataset.ready = 'true';
}

main();
