import type { Position } from 'geojson';

// Routes for the geometry checks' tests, in Kotim, 7 decimals (about 1 cm) as a GPS export gives
// them. bench/geometry-validate.mjs builds the same shapes (it runs on dist/, which leaves this out).

const round7 = (x: number): number => Math.round(x * 1e7) / 1e7;

/** A winding route eastward from `lon`, about 0.5 m between positions: never crosses itself. */
export const windingRoute = (n: number, lon = 112.9, lat = -2.55): Position[] =>
  Array.from({ length: n }, (_, i) => [round7(lon + i * 0.000005), round7(lat + 0.002 * Math.sin(i / 400))]);

/** A spiral of 20 turns out from the centre, 110 m apart: up to 40 segments side by side on a sweep line. */
export const spiral = (n: number, lon = 112.95, lat = -2.53): Position[] =>
  Array.from({ length: n }, (_, i) => {
    const angle = (i / n) * 20 * 2 * Math.PI;
    const r = 0.0005 + (0.02 * i) / n;
    return [round7(lon + r * Math.cos(angle)), round7(lat + r * Math.sin(angle))];
  });

/** Long diagonal strokes, up and down, 0.2 m apart: each spans the x-range of all the others, n/2 side by side. */
export const serpentine = (n: number, lon = 112.9, lat = -2.6): Position[] =>
  Array.from({ length: n }, (_, i) => {
    const stroke = Math.floor(i / 2);
    const top = i % 2 === (stroke % 2 === 0 ? 1 : 0);
    return [round7(lon + stroke * 0.000002 + (top ? 0.05 : 0)), round7(lat + (top ? 0.05 : 0))];
  });

/**
 * The star of issue 8: n positions on a circle of 0.01° (about 1.1 km), each nearly opposite the
 * last, so that every chord crosses nearly every other (about n²/2 crossings).
 */
export const star = (n: number, lon = 112.95, lat = -2.53): Position[] => {
  const step = n / 2 - 1;
  return Array.from({ length: n }, (_, i) => {
    const angle = (2 * Math.PI * ((i * step) % n)) / n;
    return [round7(lon + 0.01 * Math.cos(angle)), round7(lat + 0.01 * Math.sin(angle))];
  });
};
