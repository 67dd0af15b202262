import type { ExportLayer, ExportNode, ExportSegment, ExportSite, ExportValue } from './export-types';

/**
 * The attribute columns of each layer, in output order. Geometry (coordinates, lon/lat) is not
 * listed: every format writes it its own way. Listing the fields, rather than spreading the row,
 * keeps extra properties a caller's row may carry (database columns, ORM state) out of the files.
 */
export const SEGMENT_FIELDS = [
  'id',
  'code',
  'fromNodeId',
  'toNodeId',
  'fromNodeCode',
  'toNodeCode',
  'status',
  'placement',
  'tier',
  'cableType',
  'coreCount',
  'lengthM',
  'phaseName',
] as const satisfies readonly (keyof ExportSegment)[];

export const NODE_FIELDS = ['id', 'code', 'name', 'kind', 'status', 'owner', 'kecamatanCode', 'desaCode'] as const satisfies readonly (keyof ExportNode)[];

export const SITE_FIELDS = [
  'id',
  'code',
  'name',
  'shortName',
  'kind',
  'kecamatanCode',
  'desaCode',
  'phaseName',
  'costIdrPerMonth',
  'connected',
] as const satisfies readonly (keyof ExportSite)[];

export type ExportItem = ExportSegment | ExportNode | ExportSite;

export function fieldsOf(layer: ExportLayer): readonly string[] {
  switch (layer.kind) {
    case 'segments':
      return SEGMENT_FIELDS;
    case 'nodes':
      return NODE_FIELDS;
    case 'sites':
      return SITE_FIELDS;
  }
}

/** A field's value; undefined (a caller that left an optional column out) is written as null. */
export function valueOf(item: ExportItem, field: string): ExportValue {
  const value = (item as unknown as Record<string, unknown>)[field];
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return String(value);
}

/** The attribute fields of one item as a plain object, in field order. */
export function propertiesOf(item: ExportItem, fields: readonly string[]): Record<string, ExportValue> {
  const properties: Record<string, ExportValue> = {};
  for (const field of fields) properties[field] = valueOf(item, field);
  return properties;
}

/**
 * A number as plain decimal text, never in exponent form (1e-7 → 0.0000001): WKT readers,
 * spreadsheets and Google Earth do not all accept exponents. Shortest round-trip digits otherwise.
 */
export function formatNumber(value: number): string {
  const text = String(value);
  if (!text.includes('e')) return text;
  if (Math.abs(value) >= 1e21) return text;
  return value.toFixed(20).replace(/\.?0+$/, '');
}

function assertCoordinate(lon: unknown, lat: unknown, code: string): void {
  if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) {
    throw new RangeError(`Cannot export ${code}: its coordinates are not finite numbers.`);
  }
}

/** The [lon, lat] positions of a segment, checked: at least two, all finite. Extra dimensions dropped. */
export function linePositions(segment: ExportSegment): [number, number][] {
  const coordinates = segment.coordinates;
  if (!Array.isArray(coordinates) || coordinates.length < 2) {
    throw new RangeError(`Cannot export segment ${segment.code}: a line needs at least two positions.`);
  }
  const positions: [number, number][] = new Array(coordinates.length);
  for (let i = 0; i < coordinates.length; i++) {
    const position = coordinates[i];
    assertCoordinate(position?.[0], position?.[1], `segment ${segment.code}`);
    positions[i] = [position[0], position[1]];
  }
  return positions;
}

/** The [lon, lat] of a node or site, checked finite. */
export function pointPosition(item: ExportNode | ExportSite): [number, number] {
  assertCoordinate(item.lon, item.lat, item.code);
  return [item.lon, item.lat];
}

/** `lon lat` pairs as WKT/KML want them, with the separators given. */
export function joinPositions(positions: readonly (readonly [number, number])[], pairSeparator: string, listSeparator: string): string {
  const parts = new Array<string>(positions.length);
  for (let i = 0; i < positions.length; i++) {
    parts[i] = formatNumber(positions[i][0]) + pairSeparator + formatNumber(positions[i][1]);
  }
  return parts.join(listSeparator);
}
