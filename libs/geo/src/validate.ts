import * as turf from '@turf/turf';
import type { LineString, Point, Position } from 'geojson';
import { z } from 'zod';
import type { Bbox } from './bbox';
import { findSelfIntersections } from './self-intersections';

/**
 * At most this many positions in one cable route (a segment, between two nodes). Spans are a few
 * km (the demo network's 108 average 4.3 km); a GPS track logged every metre along a 50 km span is
 * 50,000 positions, and the api's 1 MiB request limit carries about 40,000 at 7 decimals. More is
 * a track to be split into spans, or an attempt to keep the server busy: time and memory of the
 * checks grow with it (O(n log n) and O(n)), and so do the database's work and every map page.
 */
export const MAX_LINE_POSITIONS = 50_000;

/** At most this many places where a route crosses itself are named: enough to find them, and an answer stays under 10 kB. */
export const MAX_REPORTED_CROSSINGS = 5;

/** A "did you mean" is given for a line of at most this many positions (about 30 bytes each, twice in an answer). */
export const MAX_SUGGESTED_POSITIONS = 50;

/** A problem with a geometry, as a code (for translation) and the values a message needs. */
export interface GeometryProblem {
  code: 'invalid_geojson' | 'too_few_positions' | 'too_many_positions' | 'zero_length' | 'self_intersection' | 'outside_region' | 'swapped_lat_lon';
  /** For swapped_lat_lon: the geometry with each position's two numbers exchanged (a line only up to MAX_SUGGESTED_POSITIONS). */
  suggestion?: Position | Position[];
  /** For self_intersection: some places (at most MAX_REPORTED_CROSSINGS, 7 decimals) where the line crosses or touches itself. */
  at?: Position[];
  /** For self_intersection: how many places were found; the search stops after MAX_REPORTED_CROSSINGS, so there may be more. */
  crossingsAtLeast?: number;
  /** For too_many_positions: the most a line may have. */
  maxPositions?: number;
}

// Ranges are checked after parsing, so that swapped numbers can be recognised as such.
const position = z
  .array(z.number().refine(Number.isFinite, { error: 'must be a finite number' }))
  .min(2)
  .max(3);

/** RFC 7946 Point and LineString (2D or 3D positions; the third number is dropped). */
export const pointSchema = z.object({ type: z.literal('Point'), coordinates: position });
export const lineStringSchema = z.object({ type: z.literal('LineString'), coordinates: z.array(position).min(2).max(MAX_LINE_POSITIONS) });

/** Degrees of margin around the region: positions just across the border are still accepted. */
export const REGION_MARGIN_DEG = 0.05;

function inBox([lon, lat]: Position, [minLon, minLat, maxLon, maxLat]: Bbox, margin = REGION_MARGIN_DEG): boolean {
  return lon >= minLon - margin && lon <= maxLon + margin && lat >= minLat - margin && lat <= maxLat + margin;
}

const swap = ([a, b]: Position): Position => [b, a];

const WORLD: Bbox = [-180, -90, 180, 90];

/** Positions outside the region (or the world) that would be inside with latitude and longitude exchanged. */
function regionProblem(positions: Position[], region: Bbox | null): GeometryProblem | null {
  const area = region ?? WORLD;
  if (positions.every((p) => inBox(p, area, region ? REGION_MARGIN_DEG : 0))) return null;
  if (!region && positions.some((p) => !inBox(swap(p), WORLD, 0))) return { code: 'invalid_geojson' };
  if (positions.every((p) => inBox(swap(p), area, region ? REGION_MARGIN_DEG : 0))) {
    if (positions.length === 1) return { code: 'swapped_lat_lon', suggestion: swap(positions[0]) };
    return positions.length <= MAX_SUGGESTED_POSITIONS ? { code: 'swapped_lat_lon', suggestion: positions.map(swap) } : { code: 'swapped_lat_lon' };
  }
  return { code: 'outside_region' };
}

const twoD = (p: Position): Position => [p[0], p[1]];

/** Checks a point: valid GeoJSON, inside the region (null: anywhere). Returns the 2D point or the problems. */
export function checkPoint(input: unknown, region: Bbox | null): { point: Point; problems: [] } | { point: null; problems: GeometryProblem[] } {
  const parsed = pointSchema.safeParse(input);
  if (!parsed.success) return { point: null, problems: [{ code: 'invalid_geojson' }] };
  const coordinates = twoD(parsed.data.coordinates);
  const problem = regionProblem([coordinates], region);
  return problem ? { point: null, problems: [problem] } : { point: { type: 'Point', coordinates }, problems: [] };
}

/** 7 decimals of a degree, about 1 cm: enough to find a place on the map. */
const round7 = (x: number): number => Math.round(x * 1e7) / 1e7;

/**
 * Checks a cable route: valid GeoJSON, at most MAX_LINE_POSITIONS positions, at least two
 * distinct ones, a length above zero, no self-intersection, inside the region. Consecutive
 * repeated positions are dropped. Time O(n log n), and every answer is small.
 */
export function checkLineString(input: unknown, region: Bbox | null): { line: LineString; problems: [] } | { line: null; problems: GeometryProblem[] } {
  // Counted before anything else looks at the positions, so that a huge line costs nothing more.
  const given = input as { type?: unknown; coordinates?: unknown } | null;
  if (given?.type === 'LineString' && Array.isArray(given.coordinates) && given.coordinates.length > MAX_LINE_POSITIONS) {
    return { line: null, problems: [{ code: 'too_many_positions', maxPositions: MAX_LINE_POSITIONS }] };
  }
  const parsed = lineStringSchema.safeParse(input);
  if (!parsed.success) return { line: null, problems: [{ code: 'invalid_geojson' }] };
  const coordinates = parsed.data.coordinates.map(twoD).filter((p, i, all) => i === 0 || p[0] !== all[i - 1][0] || p[1] !== all[i - 1][1]);
  const problems: GeometryProblem[] = [];
  if (coordinates.length < 2) return { line: null, problems: [{ code: 'too_few_positions' }] };
  const line: LineString = { type: 'LineString', coordinates };
  if (turf.length(turf.lineString(coordinates), { units: 'meters' }) < 0.01) problems.push({ code: 'zero_length' });
  const crossings = findSelfIntersections(coordinates, MAX_REPORTED_CROSSINGS);
  if (crossings.length) {
    // Several pairs of segments can meet at one place (three through a point): each place once.
    const places = new Map<string, Position>();
    for (const {
      at: [lon, lat],
    } of crossings)
      places.set(`${round7(lon)} ${round7(lat)}`, [round7(lon), round7(lat)]);
    const at = [...places.values()];
    problems.push({ code: 'self_intersection', at, crossingsAtLeast: at.length });
  }
  const region_ = regionProblem(coordinates, region);
  if (region_) problems.push(region_);
  return problems.length ? { line: null, problems } : { line, problems: [] };
}
