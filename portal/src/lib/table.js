// The list alternative of a thematic view's map: a table that a screen
// reader reads as a table and a keyboard sorts (a button in each column
// head, aria-sort) and opens (a button in each row shows the feature on the
// map with its information).
import { announce } from './announce.js';
import { clear, el } from './dom.js';
import { locale, t } from './i18n.js';

/**
 * columns: [{key, label, value(row) (sorting), text(row) (shown; a string or a node), numeric}];
 * the first column holds the row's open button when onOpen is given.
 * Returns {table, setRows(rows)}; limit caps the rows shown (note says how many).
 */
export function dataTable({ caption, columns, rows, onOpen = null, className = '', rowClass = () => null, limit = null }) {
  const collator = new Intl.Collator(locale(), { numeric: true, sensitivity: 'base' });
  let current = rows;
  let sortKey = null;
  let ascending = true;
  const body = el('tbody');
  const note = el('p', { class: 'muted small table-note' });
  const heads = columns.map((column) => {
    const button = el('button', { type: 'button', class: 'sort' }, column.label, el('span', { class: 'sort-mark', 'aria-hidden': 'true' }));
    button.addEventListener('click', () => {
      ascending = sortKey === column.key ? !ascending : true;
      sortKey = column.key;
      render();
      announce(t(ascending ? 'table.sorted_up' : 'table.sorted_down', { column: column.label }));
    });
    return el('th', { scope: 'col', class: column.numeric ? 'numeric' : null, dataset: { key: column.key } }, button);
  });
  const compare = (column) => (a, b) => {
    const x = column.value(a);
    const y = column.value(b);
    if (x === y) return 0;
    if (x === null || x === undefined || x === '') return 1; // empty last in either direction
    if (y === null || y === undefined || y === '') return -1;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
    return ascending ? order : -order;
  };

  function render() {
    const column = columns.find((c) => c.key === sortKey);
    const sorted = column ? [...current].sort(compare(column)) : current;
    heads.forEach((th, n) => {
      const sorted = columns[n].key === sortKey;
      th.setAttribute('aria-sort', sorted ? (ascending ? 'ascending' : 'descending') : 'none');
      th.querySelector('.sort-mark').textContent = sorted ? (ascending ? ' ▲' : ' ▼') : '';
    });
    clear(body);
    const shown = limit ? sorted.slice(0, limit) : sorted;
    for (const row of shown) {
      const cells = columns.map((c, n) => {
        const content = (c.text || c.value)(row);
        if (n === 0) {
          const inner = onOpen ? el('button', { type: 'button', class: 'link-button open-row' }, content) : content;
          if (onOpen) inner.addEventListener('click', () => onOpen(row, inner));
          return el('th', { scope: 'row' }, inner);
        }
        return el('td', { class: c.numeric ? 'numeric' : null }, content);
      });
      body.append(el('tr', { class: rowClass(row) }, cells));
    }
    note.textContent = limit && sorted.length > limit ? t('table.shown', { shown: limit, total: sorted.length }) : '';
  }

  const table = el('table', { class: `data-table ${className}`.trim() }, el('caption', {}, caption), el('thead', {}, el('tr', {}, heads)), body);
  render();
  return {
    table,
    note,
    element: el('div', { class: 'table-scroll' }, table, note),
    setRows(next) {
      current = next;
      render();
    },
  };
}
