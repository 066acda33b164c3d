// Outdoor advertising: structures with the validity of their permits
// (permits are a non-spatial published table, joined by structure_id).
import { classifierLabel } from '../lib/config.js';
import { el } from '../lib/dom.js';
import * as format from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { getFeatures } from '../lib/ows.js';
import { dataTable } from '../lib/table.js';

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

export async function mount({ container, config, mapSpec, openFeature }) {
  const [structures, permits] = await Promise.all([
    getFeatures(mapSpec.id, LAYER, { properties: ['id', 'structure_code', 'structure_type', 'address_text'] }),
    getFeatures(mapSpec.id, PERMITS, { properties: ['structure_id', 'permit_number', 'distributor_name', 'valid_to', 'permit_state'] }),
  ]);
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
  container.append(el('label', { class: 'filter', for: 'permit-filter' }, t('advertising.filter'), ' ', select));
  const order = { invalid: 0, soon: 1, valid: 2 };
  const daysLeft = (p) => (p ? Math.floor((new Date(p.valid_to) - today) / DAY) : null);
  const validity = (p) => {
    const days = daysLeft(p);
    if (!p) return t('advertising.no_permit');
    return days < 0 ? t('advertising.expired_on', { date: format.date(p.valid_to) }) : `${format.date(p.valid_to)} (${t('advertising.days_left', { days })})`;
  };
  // A city has thousands of structures: the table shows the first ones, the map shows all.
  const table = dataTable({
    caption: t('theme.advertising'),
    className: 'sums permits',
    rowClass: (row) => `permit-${row.status}`,
    limit: MAX_ROWS,
    rows: [],
    columns: [
      {
        key: 'structure',
        label: t('advertising.structure'),
        value: (row) => row.structure.properties.structure_code,
        text: (row) => {
          const s = row.structure.properties;
          return [s.structure_code, el('br'), el('small', { class: 'muted' }, `${classifierLabel(config, 'structure_type', s.structure_type)}, ${s.address_text}`)];
        },
      },
      {
        key: 'permit',
        label: t('advertising.permit'),
        value: (row) => row.permit?.permit_number ?? '',
        text: (row) => (row.permit ? [row.permit.permit_number, el('br'), el('small', { class: 'muted' }, row.permit.distributor_name || '')] : '—'),
      },
      { key: 'valid_to', label: t('advertising.valid_to'), value: (row) => row.permit?.valid_to ?? '', text: (row) => validity(row.permit) },
      {
        key: 'state',
        label: t('advertising.state'),
        value: (row) => order[row.status],
        text: (row) => el('span', { class: `state state-${row.status}` }, row.permit ? classifierLabel(config, 'permit_state', row.permit.permit_state) : t('advertising.no_permit')),
      },
    ],
    onOpen: (row) => openFeature(LAYER, row.structure),
  });
  function render() {
    const wanted = select.value;
    table.setRows([...rows].sort((a, b) => order[a.status] - order[b.status]).filter((r) => wanted === 'all' || r.status === wanted));
  }
  select.addEventListener('change', render);
  render();
  container.append(table.element);
  container.dataset.ready = 'true';
  return {};
}
