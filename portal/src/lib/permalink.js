// The view in the address: map id, visible layers, base map, centre
// (longitude, latitude) and zoom. The viewer keeps it in the hash
// (#map=budget&layers=a,b&center=28.66,50.25&zoom=15); /embed takes the
// same keys as query parameters.

export function parseState(text) {
  const params = new URLSearchParams(text.replace(/^[#?]/, ''));
  const state = { map: params.get('map') || null, layers: null, base: params.get('base') !== 'off', center: null, zoom: null };
  if (params.has('layers')) state.layers = params.get('layers').split(',').map((s) => s.trim()).filter(Boolean);
  const center = (params.get('center') || '').split(',').map(Number);
  if (center.length === 2 && center.every(Number.isFinite) && Math.abs(center[0]) <= 180 && Math.abs(center[1]) <= 90) {
    state.center = center;
  }
  const zoom = Number(params.get('zoom'));
  if (params.has('zoom') && Number.isFinite(zoom) && zoom >= 0 && zoom <= 22) state.zoom = zoom;
  return state;
}

export function formatState({ map, layers, base, center, zoom }) {
  const parts = [`map=${encodeURIComponent(map)}`];
  parts.push(`layers=${layers.map(encodeURIComponent).join(',')}`);
  if (!base) parts.push('base=off');
  parts.push(`center=${center[0].toFixed(5)},${center[1].toFixed(5)}`);
  parts.push(`zoom=${zoom.toFixed(2)}`);
  return parts.join('&');
}
