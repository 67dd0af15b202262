import { z } from 'zod';

/** WGS84 degrees: minLon, minLat, maxLon, maxLat (the order of RFC 7946 and OGC API). */
export type Bbox = [number, number, number, number];

export const BBOX_HINT = 'minLon,minLat,maxLon,maxLat in degrees, e.g. 112.8,-2.7,113.1,-2.4';

/** Parses "minLon,minLat,maxLon,maxLat"; null when it is not a valid box. */
export function parseBbox(text: string): Bbox | null {
  const parts = text.split(',').map((part) => (part.trim() === '' ? Number.NaN : Number(part)));
  if (parts.length !== 4 || !parts.every(Number.isFinite)) return null;
  const [minLon, minLat, maxLon, maxLat] = parts;
  const inRange = minLon >= -180 && maxLon <= 180 && minLat >= -90 && maxLat <= 90;
  return inRange && minLon < maxLon && minLat < maxLat ? [minLon, minLat, maxLon, maxLat] : null;
}

/** A zod schema for a bbox given as text (query strings, environment variables). */
export const bboxText = z.string().transform((value, ctx) => {
  const bbox = parseBbox(value);
  if (!bbox) {
    ctx.addIssue({ code: 'custom', message: `must be ${BBOX_HINT}` });
    return z.NEVER;
  }
  return bbox;
});
