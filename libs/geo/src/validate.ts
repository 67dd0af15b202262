import * as turf from '@turf/turf';
import type { LineString, Point, Position } from 'geojson';
import { z } from 'zod';
import type { Bbox } from './bbox';

/** A problem with a geometry, as a code (for translation) and the values a message needs. */
export interface GeometryProblem {
  code:
    | 'invalid_geojson'
    | 'too_few_positions'
    | 'zero_length'
    | 'self_intersection'
    | 'outside_region'
    | 'swapped_lat_lon';
  /** For swapped_lat_lon: the geometry with each position's two numbers exchanged. */
  suggestion?: Position | Position[];
  /** For self_intersection: where the line crosses itself. */
  at?: Position[];
}

// Ranges are checked after parsing, so that swapped numbers can be recognised as such.
const position = z.array(z.number().refine(Number.isFinite, { error: 'must be a finite number' })).min(2).max(3);

/** RFC 7946 Point and LineString (2D or 3D positions; the third number is dropped). */
export const pointSchema = z.object({ type: z.literal('Point'), coordinates: position });
export const lineStringSchema = z.object({ type: z.literal('LineString'), coordinates: z.array(position).min(2).max(100000) });

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
    return { code: 'swapped_lat_lon', suggestion: positions.length === 1 ? swap(positions[0]) : positions.map(swap) };
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

/**
 * Checks a cable route: valid GeoJSON, at least two distinct positions, a length above zero,
 * no self-intersection, inside the region. Consecutive repeated positions are dropped.
 */
export function checkLineString(input: unknown, region: Bbox | null): { line: LineString; problems: [] } | { line: null; problems: GeometryProblem[] } {
  const parsed = lineStringSchema.safeParse(input);
  if (!parsed.success) return { line: null, problems: [{ code: 'invalid_geojson' }] };
  const coordinates = parsed.data.coordinates.map(twoD).filter((p, i, all) => i === 0 || p[0] !== all[i - 1][0] || p[1] !== all[i - 1][1]);
  const problems: GeometryProblem[] = [];
  if (coordinates.length < 2) return { line: null, problems: [{ code: 'too_few_positions' }] };
  const line: LineString = { type: 'LineString', coordinates };
  if (turf.length(turf.lineString(coordinates), { units: 'meters' }) < 0.01) problems.push({ code: 'zero_length' });
  const kinks = turf.kinks(turf.lineString(coordinates));
  if (kinks.features.length) problems.push({ code: 'self_intersection', at: kinks.features.map((f) => f.geometry.coordinates) });
  const region_ = regionProblem(coordinates, region);
  if (region_) problems.push(region_);
  return problems.length ? { line: null, problems } : { line, problems: [] };
}
