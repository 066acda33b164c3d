// Numbers, money and dates in the page's language.
import { locale, t } from './i18n.js';

export function number(value, digits = 0) {
  if (value === null || value === undefined || value === '') return '';
  return Number(value).toLocaleString(locale(), { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function money(value) {
  if (value === null || value === undefined) return '—';
  return `${number(value, 0)} ${t('currency.uah')}`;
}

/** Short money for chart labels: millions with one decimal. */
export function millions(value) {
  return t('money.million', { value: number(value / 1e6, 1) });
}

export function date(value) {
  if (!value) return '';
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) return String(value);
  return parsed.toLocaleDateString(locale(), { year: 'numeric', month: '2-digit', day: '2-digit' });
}
