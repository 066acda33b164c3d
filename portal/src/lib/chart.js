// Charts drawn as plain SVG: horizontal bars and a yearly line chart. Each
// chart is named for assistive technology with its data in words (WCAG
// 1.1.1); bars that do something are buttons a keyboard reaches.
import { svg } from './dom.js';

/**
 * Horizontal bars: items [{key?, label, value, colour, title?, onClick?}];
 * label: the chart's name (read with every bar's value). Clickable bars are
 * buttons (Tab, Enter or Space) that say whether they are pressed.
 */
export function barChart(items, { label = '', format = String, width = 320, barHeight = 20, labelWidth = 120 } = {}) {
  const interactive = items.some((i) => i.onClick);
  const rowHeight = interactive ? Math.max(barHeight, 28) : barHeight; // 24 px and more to tap
  const max = Math.max(1, ...items.map((i) => i.value));
  const valueWidth = 90;
  const barSpace = width - labelWidth - valueWidth - 8;
  const height = items.length * (rowHeight + 6) + 4;
  const summary = items.map((i) => `${i.label}: ${format(i.value)}`).join('; ');
  const chart = svg('svg', {
    class: 'chart bar-chart',
    viewBox: `0 0 ${width} ${height}`,
    width: '100%',
    // A picture of data is an image with its data as its name; bars one can press are a group of buttons.
    role: interactive ? 'group' : 'img',
    'aria-label': label ? `${label}. ${summary}` : summary,
  });
  items.forEach((item, n) => {
    const y = 2 + n * (rowHeight + 6);
    const length = Math.max(1, (item.value / max) * barSpace);
    const text = item.title || `${item.label}: ${format(item.value)}`;
    // A bar one can press is named by its visible text (WCAG 2.5.3); its details are its description.
    const row = svg(
      'g',
      { class: item.onClick ? 'bar clickable' : 'bar', 'data-key': item.key ?? item.label },
      svg(item.onClick ? 'desc' : 'title', {}, text),
      svg('rect', { class: 'bar-hit', x: 0, y: y - 2, width, height: rowHeight + 4, fill: 'transparent' }),
      svg('text', { x: labelWidth - 6, y: y + rowHeight * 0.68, 'text-anchor': 'end', class: 'bar-label' }, item.label),
      svg('rect', { x: labelWidth, y, width: length.toFixed(1), height: rowHeight, rx: 2, fill: item.colour || '#4e79a7' }),
      svg('text', { x: labelWidth + length + 4, y: y + rowHeight * 0.68, class: 'bar-value' }, format(item.value)),
    );
    if (item.onClick) {
      row.setAttribute('role', 'button');
      row.setAttribute('tabindex', '0');
      row.setAttribute('aria-pressed', 'false');
      const press = () => {
        for (const other of chart.querySelectorAll('g.bar.clickable')) other.setAttribute('aria-pressed', String(other === row));
        item.onClick();
      };
      row.addEventListener('click', press);
      row.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          press();
        }
      });
    }
    chart.append(row);
  });
  /** Release every pressed bar (the filter was cleared elsewhere). */
  chart.release = () => {
    for (const bar of chart.querySelectorAll('g.bar.clickable')) bar.setAttribute('aria-pressed', 'false');
  };
  return chart;
}

/** Lines over years: series [{label, values (one per year, null for none), colour}]. */
export function lineChart(years, series, { label = '', width = 320, height = 180 } = {}) {
  const margin = { left: 36, right: 10, top: 10, bottom: 42 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const summary = series
    .map((s) => `${s.label}: ${years.map((year, i) => `${year} — ${s.values[i] ?? '—'}`).join(', ')}`)
    .join('; ');
  const chart = svg('svg', { class: 'chart line-chart', viewBox: `0 0 ${width} ${height}`, role: 'img', width: '100%', 'aria-label': label ? `${label}. ${summary}` : summary });
  const x = (i) => margin.left + (years.length === 1 ? plotW / 2 : (i / (years.length - 1)) * plotW);
  chart.append(svg('line', { x1: margin.left, y1: margin.top + plotH, x2: margin.left + plotW, y2: margin.top + plotH, class: 'axis' }));
  years.forEach((year, i) => {
    chart.append(svg('text', { x: x(i), y: margin.top + plotH + 14, 'text-anchor': 'middle', class: 'tick' }, year));
  });
  // Each series on its own scale (units differ): the shape is the trend.
  series.forEach((s, k) => {
    const present = s.values.filter((v) => v !== null && v !== undefined);
    if (!present.length) return;
    const max = Math.max(...present);
    const min = Math.min(0, ...present);
    const y = (v) => margin.top + plotH - ((v - min) / (max - min || 1)) * plotH;
    const points = s.values.map((v, i) => (v === null || v === undefined ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`));
    chart.append(svg('polyline', { points: points.filter(Boolean).join(' '), fill: 'none', stroke: s.colour, 'stroke-width': 2 }));
    s.values.forEach((v, i) => {
      if (v === null || v === undefined) return;
      chart.append(svg('circle', { cx: x(i), cy: y(v), r: 3, fill: s.colour }, svg('title', {}, `${s.label}, ${years[i]}: ${v}`)));
    });
    const lx = margin.left + (k % 2) * (plotW / 2);
    const ly = height - 20 + Math.floor(k / 2) * 12;
    chart.append(svg('rect', { x: lx, y: ly - 7, width: 10, height: 3, fill: s.colour }));
    chart.append(svg('text', { x: lx + 14, y: ly, class: 'legend-text' }, s.label));
  });
  return chart;
}
