// Charts drawn as plain SVG: horizontal bars and a yearly line chart.
import { svg } from './dom.js';

/** Horizontal bars: items [{label, value, colour, title?, onClick?}]. */
export function barChart(items, { format = String, width = 320, barHeight = 20, labelWidth = 120 } = {}) {
  const max = Math.max(1, ...items.map((i) => i.value));
  const valueWidth = 90;
  const barSpace = width - labelWidth - valueWidth - 8;
  const height = items.length * (barHeight + 6) + 4;
  const chart = svg('svg', { class: 'chart bar-chart', viewBox: `0 0 ${width} ${height}`, role: 'img', width: '100%' });
  items.forEach((item, n) => {
    const y = 2 + n * (barHeight + 6);
    const length = Math.max(1, (item.value / max) * barSpace);
    const row = svg(
      'g',
      { class: item.onClick ? 'bar clickable' : 'bar', 'data-key': item.key ?? item.label },
      svg('title', {}, item.title || `${item.label}: ${format(item.value)}`),
      svg('text', { x: labelWidth - 6, y: y + barHeight * 0.7, 'text-anchor': 'end', class: 'bar-label' }, item.label),
      svg('rect', { x: labelWidth, y, width: length.toFixed(1), height: barHeight, rx: 2, fill: item.colour || '#4e79a7' }),
      svg('text', { x: labelWidth + length + 4, y: y + barHeight * 0.7, class: 'bar-value' }, format(item.value)),
    );
    if (item.onClick) row.addEventListener('click', item.onClick);
    chart.append(row);
  });
  return chart;
}

/** Lines over years: series [{label, values (one per year, null for none), colour}]. */
export function lineChart(years, series, { width = 320, height = 180 } = {}) {
  const margin = { left: 36, right: 10, top: 10, bottom: 42 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const chart = svg('svg', { class: 'chart line-chart', viewBox: `0 0 ${width} ${height}`, role: 'img', width: '100%' });
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
