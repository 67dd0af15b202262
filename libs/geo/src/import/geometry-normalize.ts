import type { Geometry, Position } from 'geojson';
import type { FeatureProblemCode } from './import-types';

/** Maps a source position (x, y in the source CRS) to WGS84 [lon, lat] in degrees. */
export type PositionTransform = (x: number, y: number) => [number, number];

export type NormalizeResult = { ok: true; geometry: Geometry; vertexCount: number } | { ok: false; code: FeatureProblemCode; message: string };

export interface NormalizeOptions {
  maxVertices: number;
  /** Absent: the source is already WGS84 lon/lat. */
  transform?: PositionTransform | null;
}

class GeometryIssue extends Error {
  constructor(
    readonly code: FeatureProblemCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Checks a geometry of unknown origin and returns a fresh 2D WGS84 copy (Z and M dropped), or the
 * reason it cannot be imported: missing or empty geometry, a coordinate that is not a finite number,
 * a line with fewer than two positions, an open or too short polygon ring, too many vertices.
 * Lines and rings keep the order and the number of positions they have in the source.
 * Coordinates outside [-180, 180] × [-90, 90] are kept: swapped latitude and longitude are for the
 * caller to recognise and report.
 */
export function normalizeGeometry(input: unknown, options: NormalizeOptions): NormalizeResult {
  if (input === null || input === undefined) {
    return { ok: false, code: 'NULL_GEOMETRY', message: 'The feature has no geometry.' };
  }
  const state = { vertices: 0, maxVertices: options.maxVertices, transform: options.transform ?? null };
  try {
    const geometry = convert(input, state, 0);
    return { ok: true, geometry, vertexCount: state.vertices };
  } catch (error) {
    if (error instanceof GeometryIssue) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}

interface State {
  vertices: number;
  maxVertices: number;
  transform: PositionTransform | null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new GeometryIssue('INVALID_GEOMETRY', `The ${what} is not an array of coordinates.`);
  return value;
}

function position(value: unknown, state: State): Position {
  if (!Array.isArray(value) || value.length < 2) {
    throw new GeometryIssue('INVALID_GEOMETRY', 'A position does not have two numbers (longitude, latitude).');
  }
  const [x, y] = value as unknown[];
  if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
    throw new GeometryIssue('NON_FINITE_COORDINATE', `A coordinate is not a finite number: [${String(x)}, ${String(y)}].`);
  }
  state.vertices += 1;
  if (state.vertices > state.maxVertices) {
    throw new GeometryIssue('TOO_MANY_VERTICES', `The geometry has more than ${state.maxVertices} vertices.`);
  }
  if (!state.transform) return [x, y];
  const [lon, lat] = state.transform(x, y);
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
    throw new GeometryIssue('REPROJECTION_FAILED', `The position [${x}, ${y}] could not be converted to longitude/latitude.`);
  }
  return [lon, lat];
}

function positions(value: unknown, state: State, what: string): Position[] {
  return asArray(value, what).map((p) => position(p, state));
}

function lineString(value: unknown, state: State): Position[] {
  const line = positions(value, state, 'line');
  if (line.length === 0) throw new GeometryIssue('EMPTY_GEOMETRY', 'The line has no positions.');
  if (line.length < 2) throw new GeometryIssue('INVALID_GEOMETRY', 'A line has only one position; it needs at least two.');
  return line;
}

function ring(value: unknown, state: State): Position[] {
  const points = positions(value, state, 'polygon ring');
  if (points.length < 4) {
    throw new GeometryIssue('INVALID_GEOMETRY', `A polygon ring has ${points.length} positions; it needs at least four.`);
  }
  const first = points[0];
  const last = points[points.length - 1];
  if (first[0] !== last[0] || first[1] !== last[1]) {
    throw new GeometryIssue('INVALID_GEOMETRY', 'A polygon ring is not closed (its first and last positions differ).');
  }
  return points;
}

function polygon(value: unknown, state: State): Position[][] {
  const rings = asArray(value, 'polygon').map((r) => ring(r, state));
  if (rings.length === 0) throw new GeometryIssue('EMPTY_GEOMETRY', 'The polygon has no rings.');
  return rings;
}

function nonEmpty<T>(items: T[], type: string): T[] {
  if (items.length === 0) throw new GeometryIssue('EMPTY_GEOMETRY', `The ${type} is empty.`);
  return items;
}

/** GeometryCollections nest; more than this is not a real file. */
const MAX_NESTING = 8;

function convert(input: unknown, state: State, depth: number): Geometry {
  if (!isObject(input)) throw new GeometryIssue('INVALID_GEOMETRY', 'The geometry is not an object.');
  const { type, coordinates } = input;
  switch (type) {
    case 'Point':
      if (Array.isArray(coordinates) && coordinates.length === 0) {
        throw new GeometryIssue('EMPTY_GEOMETRY', 'The point has no coordinates.');
      }
      return { type, coordinates: position(coordinates, state) };
    case 'MultiPoint':
      return { type, coordinates: nonEmpty(positions(coordinates, state, 'multipoint'), type) };
    case 'LineString':
      return { type, coordinates: lineString(coordinates, state) };
    case 'MultiLineString':
      return {
        type,
        coordinates: nonEmpty(
          asArray(coordinates, 'multilinestring').map((l) => lineString(l, state)),
          type,
        ),
      };
    case 'Polygon':
      return { type, coordinates: polygon(coordinates, state) };
    case 'MultiPolygon':
      return {
        type,
        coordinates: nonEmpty(
          asArray(coordinates, 'multipolygon').map((p) => polygon(p, state)),
          type,
        ),
      };
    case 'GeometryCollection': {
      if (depth >= MAX_NESTING) throw new GeometryIssue('INVALID_GEOMETRY', 'Geometry collections are nested too deeply.');
      const members = asArray(input.geometries, 'geometry collection');
      return {
        type,
        geometries: nonEmpty(
          members.map((g) => convert(g, state, depth + 1)),
          type,
        ),
      };
    }
    default:
      throw new GeometryIssue('INVALID_GEOMETRY', `Unknown geometry type ${JSON.stringify(type)}.`);
  }
}
