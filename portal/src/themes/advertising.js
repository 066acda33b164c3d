// Outdoor advertising: structures with the validity of their permits
// (permits are a non-spatial published table, joined by structure_id).
import { classifierLabel } from '../lib/config.js';
import { clear, el } from '../lib/dom.js';
import * as format from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { getFeatures } from '../lib/ows.js';

const LAYER = 'advertising_structure';
const PERMITS = 'advertising_permit';
const SOON_DAYS = 90;
const DAY = 24 * 3600 * 1000;
const MAX_ROWS = 300;

/** valid | soon | invalid for a structure's latest permit (or none). */
export function permitStatus(permit, today = new Date()) {
  if (!permit || permit.permit_state !== 'valid') return 'invalid';
  const days = Math.floor((new Date(permit.valid_to) - today) / DAY);
  if (days < 0) return 'invalid';
  return days <= SOON_DAYS ? 'soon' : 'valid';
}

export async function mount({ container, viewer, config, mapSpec }) {
  const [structures, permits] = await Promise.all([getFeatures(mapSpec.id, LAYER), getFeatures(mapSpec.id, PERMITS)]);
  const latest = new Map();
  for (const { properties: p } of permits) {
    const current = latest.get(p.structure_id);
    if (!current || p.valid_to > current.valid_to) latest.set(p.structure_id, p);
  }
  const today = new Date();
  const rows = structures.map((s) => {
    const permit = latest.get(s.properties.id) || null;
    return { structure: s, permit, status: permitStatus(permit, today) };
  });
  const count = (status) => rows.filter((r) => r.status === status).length;
  container.append(
    el('p', { class: 'theme-summary' }, t('advertising.summary', { structures: rows.length, valid: count('valid'), soon: count('soon'), invalid: count('invalid') })),
  );
  const select = el('select', { id: 'permit-filter' }, ['all', 'valid', 'soon', 'invalid'].map((k) => el('option', { value: k }, t(`advertising.filter.${k}`))));
  container.append(el('label', { class: 'filter' }, t('advertising.filter'), ' ', select));
  const body = el('tbody');
  const order = { invalid: 0, soon: 1, valid: 2 };
  const shownNote = el('p', { class: 'muted small' });
  function render() {
    clear(body);
    const wanted = select.value;
    const matching = [...rows].sort((a, b) => order[a.status] - order[b.status]).filter((r) => wanted === 'all' || r.status === wanted);
    // A city has thousands of structures: the table shows the first ones, the map shows all.
    shownNote.textContent = matching.length > MAX_ROWS ? t('advertising.shown', { shown: MAX_ROWS, total: matching.length }) : '';
    for (const row of matching.slice(0, MAX_ROWS)) {
      const s = row.structure.properties;
      const p = row.permit;
      const days = p ? Math.floor((new Date(p.valid_to) - today) / DAY) : null;
      const validity = !p ? t('advertising.no_permit') : days < 0 ? t('advertising.expired_on', { date: format.date(p.valid_to) }) : `${format.date(p.valid_to)} (${t('advertising.days_left', { days })})`;
      const show = el('button', { type: 'button', class: 'link-button' }, s.structure_code);
      show.addEventListener('click', () => viewer.showFeatures([row.structure]));
      body.append(
        el(
          'tr',
          { class: `permit-${row.status}` },
          el('td', {}, show, el('br'), el('small', { class: 'muted' }, `${classifierLabel(config, 'structure_type', s.structure_type)}, ${s.address_text}`)),
          el('td', {}, p ? p.permit_number : '—', p ? el('br') : null, p ? el('small', { class: 'muted' }, p.distributor_name || '') : null),
          el('td', {}, validity),
          el('td', {}, el('span', { class: `state state-${row.status}` }, p ? classifierLabel(config, 'permit_state', p.permit_state) : t('advertising.no_permit'))),
        ),
      );
    }
  }
  select.addEventListener('change', render);
  render();
  container.append(
    el(
      'table',
      { class: 'sums permits' },
      el('thead', {}, el('tr', {}, el('th', {}, t('advertising.structure')), el('th', {}, t('advertising.permit')), el('th', {}, t('advertising.valid_to')), el('th', {}, t('advertising.state')))),
      body,
    ),
    shownNote,
  );
  container.dataset.ready = 'true';
  return {};
}
