/**
 * The view in the address (`#zoom/lat/lon`), so that a planner can send a link to a place. Pure:
 * the map module reads and writes `window.location.hash` with these.
 */
export interface LinkedView {
  zoom: number;
  lat: number;
  lon: number;
}

/** The view a hash names, or null when it names none (or an impossible place). */
export function parseViewHash(hash: string): LinkedView | null {
  const match = /^#(\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)$/.exec(hash);
  if (!match) return null;
  const [zoom, lat, lon] = match.slice(1).map(Number);
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return { zoom, lat, lon };
}

/** The hash of a view, with as many decimals as the zoom makes visible (at least two). */
export function formatViewHash({ zoom, lat, lon }: LinkedView): string {
  const digits = Math.max(2, Math.ceil(Math.log10(2 ** zoom)));
  return `#${Number(zoom.toFixed(2))}/${lat.toFixed(digits)}/${lon.toFixed(digits)}`;
}
