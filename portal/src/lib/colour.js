// Text colours that stay readable on the maps' category colours: contrast
// as WCAG 2.1 defines it (1.4.3, relative luminance of sRGB).
const DARK = '#1d2733';
const LIGHT = '#ffffff';

function luminance(hex) {
  const value = hex.replace('#', '');
  const full = value.length === 3 ? [...value].map((c) => c + c).join('') : value.slice(0, 6);
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16) / 255);
  const linear = (c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

export function contrast(a, b) {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** Dark or white text, whichever contrasts more with the background colour. */
export function textOn(background) {
  if (!/^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(background || '')) return DARK;
  return contrast(background, DARK) >= contrast(background, LIGHT) ? DARK : LIGHT;
}
