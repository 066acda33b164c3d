// The viewer's side panel: tabs (layers, the map's thematic view) as the
// ARIA tabs pattern (arrow keys move between tabs), opened and closed by the
// header's button and, on a phone where it covers the lower map, by the
// handle at its top. The boot script opens it on wide screens.
import { t } from './i18n.js';

export function setupPanel(themeTitle) {
  const body = document.body;
  const toggle = document.getElementById('panel-toggle');
  const handle = document.getElementById('panel-close');
  const tabs = { layers: document.getElementById('tab-layers'), theme: document.getElementById('tab-theme') };
  const panels = { layers: document.getElementById('layers'), theme: document.getElementById('theme') };
  const names = themeTitle ? ['layers', 'theme'] : ['layers'];

  const setOpen = (open) => {
    body.classList.toggle('panel-open', open);
    toggle.setAttribute('aria-expanded', String(open));
  };
  const show = (name) => {
    for (const key of Object.keys(tabs)) {
      const selected = key === name;
      tabs[key].setAttribute('aria-selected', String(selected));
      tabs[key].tabIndex = selected ? 0 : -1;
      panels[key].hidden = !selected;
    }
    setOpen(true);
  };
  for (const name of names) tabs[name].addEventListener('click', () => show(name));
  if (themeTitle) {
    tabs.theme.hidden = false;
    tabs.theme.textContent = themeTitle;
  }
  document.querySelector('.tabs').addEventListener('keydown', (event) => {
    if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return;
    const at = names.findIndex((name) => tabs[name] === document.activeElement);
    if (at < 0) return;
    event.preventDefault();
    const next = event.key === 'Home' ? 0 : event.key === 'End' ? names.length - 1 : (at + (event.key === 'ArrowRight' ? 1 : names.length - 1)) % names.length;
    show(names[next]);
    tabs[names[next]].focus();
  });
  toggle.addEventListener('click', () => setOpen(!body.classList.contains('panel-open')));
  handle.addEventListener('click', () => {
    setOpen(false);
    toggle.focus();
  });
  handle.title = t('viewer.panel_close');
  setOpen(body.classList.contains('panel-open'));
  return { show, close: () => setOpen(false) };
}
