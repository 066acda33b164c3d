// The investment map: every offered site in a table (the list alternative
// of the map) and as a card with its terms and contact.
import { classifierLabel } from '../lib/config.js';
import { el } from '../lib/dom.js';
import * as format from '../lib/format.js';
import { currentLanguage, t } from '../lib/i18n.js';
import { getFeatures } from '../lib/ows.js';
import { dataTable } from '../lib/table.js';

const LAYER = 'investment_site';
const FIELDS = [
  'id', 'site_code', 'name_uk', 'name_en', 'site_type', 'offer_type', 'area_ha', 'electricity_kw', 'price_uah',
  'terms_uk', 'terms_en', 'contact_department', 'contact_email', 'contact_phone',
  'has_water', 'has_sewage', 'has_gas', 'has_heating', 'road_access', 'rail_access',
];
const UTILITIES = [
  ['has_water', { uk: 'вода', en: 'water' }],
  ['has_sewage', { uk: 'каналізація', en: 'sewage' }],
  ['has_gas', { uk: 'газ', en: 'gas' }],
  ['has_heating', { uk: 'тепло', en: 'heating' }],
  ['road_access', { uk: 'під\u2019їзд', en: 'road' }],
  ['rail_access', { uk: 'залізниця', en: 'rail' }],
];

export async function mount({ container, viewer, config, mapSpec, openFeature }) {
  const sites = await getFeatures(mapSpec.id, LAYER, { properties: FIELDS });
  const en = currentLanguage() === 'en';
  container.append(el('p', { class: 'theme-summary' }, t('investment.count', { count: sites.length })));
  const table = dataTable({
    caption: t('theme.investment'),
    className: 'sites',
    rows: sites,
    columns: [
      { key: 'code', label: t('investment.code'), value: (s) => s.properties.site_code },
      { key: 'name', label: t('investment.name'), value: (s) => (en && s.properties.name_en) || s.properties.name_uk },
      { key: 'type', label: t('investment.type'), value: (s) => classifierLabel(config, 'site_type', s.properties.site_type) },
      { key: 'area', label: t('investment.area_ha'), numeric: true, value: (s) => s.properties.area_ha, text: (s) => format.number(s.properties.area_ha, 2) },
    ],
    onOpen: (s) => openFeature(LAYER, s),
  });
  container.append(table.element);
  const list = el('div', { class: 'cards' });
  for (const site of sites) {
    const p = site.properties;
    const utilities = UTILITIES.filter(([field]) => p[field]).map(([, label]) => label[en ? 'en' : 'uk']);
    if (p.electricity_kw) utilities.unshift(`${format.number(p.electricity_kw)} kW`);
    const contact = [p.contact_department, p.contact_email, p.contact_phone].filter(Boolean);
    const show = el('button', { type: 'button', class: 'link-button' }, t('theme.show_on_map'));
    show.addEventListener('click', () => viewer.showFeatures([site]));
    list.append(
      el(
        'article',
        { class: 'card site', dataset: { code: p.site_code } },
        el('h3', {}, `${p.site_code} · ${(en && p.name_en) || p.name_uk}`),
        el('p', { class: 'muted' }, `${classifierLabel(config, 'site_type', p.site_type)} · ${classifierLabel(config, 'offer_type', p.offer_type)}`),
        el(
          'dl',
          {},
          el('dt', {}, t('investment.area')),
          el('dd', {}, `${format.number(p.area_ha, 2)} ${t('investment.ha')}`),
          el('dt', {}, t('investment.price')),
          el('dd', {}, p.price_uah ? format.money(p.price_uah) : t('investment.none')),
          el('dt', {}, t('investment.utilities')),
          el('dd', {}, utilities.join(', ') || t('investment.none')),
          el('dt', {}, t('investment.terms')),
          el('dd', {}, (en && p.terms_en) || p.terms_uk || t('investment.none')),
          el('dt', {}, t('investment.contact')),
          el(
            'dd',
            { class: 'contact' },
            contact.length
              ? contact.map((c, n) => [n ? ' · ' : '', c.includes('@') ? el('a', { href: `mailto:${c}` }, c) : c.startsWith('+') ? el('a', { href: `tel:${c.replace(/\s/g, '')}` }, c) : c])
              : t('investment.none'),
          ),
        ),
        show,
      ),
    );
  }
  container.append(list);
  container.dataset.ready = 'true';
  return {};
}
