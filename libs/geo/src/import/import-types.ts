import type { Geometry } from 'geojson';

export type ImportFormat = 'geojson' | 'kml' | 'kmz' | 'csv' | 'shapefile';

/** Bounds on what one import may cost in memory and time. Byte limits are in bytes. */
export interface ImportLimits {
  /** Size of the uploaded file as received. */
  maxFileBytes: number;
  /** Sum over all entries of a zip (KMZ, zipped shapefile): declared sizes and bytes actually inflated. */
  maxUncompressedBytes: number;
  maxZipEntries: number;
  maxFeatures: number;
  maxVerticesPerFeature: number;
}

const MIB = 1024 * 1024;

export const DEFAULT_IMPORT_LIMITS: ImportLimits = Object.freeze({
  maxFileBytes: 50 * MIB,
  maxUncompressedBytes: 200 * MIB,
  maxZipEntries: 1000,
  maxFeatures: 200_000,
  maxVerticesPerFeature: 100_000,
});

export type ImportProperties = Record<string, string | number | boolean | null>;

export interface ImportedFeature {
  /** 0-based position in the source (counting features that became problems too). */
  index: number;
  /** Feature id, placemark id, shapefile record number or CSV line: whatever identifies it in the file. */
  sourceId: string | null;
  /**
   * True when sourceId only says where the feature stands in the file (a CSV line, a shapefile
   * record number): it shows the planner where to look, but is no identity, since a revised file
   * may insert or drop rows.
   */
  positional: boolean;
  /** KML/KMZ folder path, e.g. ['Backbone', 'Tahap 1']; the layer name for a zip of several shapefiles; else []. */
  folder: string[];
  /** WGS84 lon/lat (EPSG:4326), 2D. */
  geometry: Geometry;
  properties: ImportProperties;
}

export type FeatureProblemCode =
  | 'NULL_GEOMETRY'
  | 'EMPTY_GEOMETRY'
  | 'INVALID_GEOMETRY'
  | 'NON_FINITE_COORDINATE'
  | 'TOO_MANY_VERTICES'
  | 'UNPARSEABLE_WKT'
  | 'MISSING_COORDINATES'
  | 'UNSUPPORTED_SRID'
  | 'REPROJECTION_FAILED';

/** A feature that could not be imported; it is not in ParsedImport.features. Message in plain English. */
export interface FeatureProblem {
  index: number;
  sourceId: string | null;
  code: FeatureProblemCode | string;
  message: string;
}

export interface ParsedImport {
  format: ImportFormat;
  /** The coordinate reference system the file was in, e.g. 'EPSG:4326' or the .prj's name. */
  sourceCrs: string;
  features: ImportedFeature[];
  problems: FeatureProblem[];
}

export type ImportFileErrorCode =
  'UNSUPPORTED_FORMAT' | 'FILE_TOO_LARGE' | 'ZIP_TOO_LARGE' | 'XML_FORBIDDEN' | 'PRJ_UNREADABLE' | 'PRJ_MISSING' | 'MALFORMED' | 'TOO_MANY_FEATURES' | 'NO_FEATURES';

/** The file as a whole cannot be imported. */
export class ImportFileError extends Error {
  constructor(
    readonly code: ImportFileErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ImportFileError';
  }
}

export function resolveLimits(limits?: Partial<ImportLimits>): ImportLimits {
  const merged = { ...DEFAULT_IMPORT_LIMITS };
  for (const key of Object.keys(DEFAULT_IMPORT_LIMITS) as (keyof ImportLimits)[]) {
    const value = limits?.[key];
    if (value !== undefined) {
      if (!Number.isFinite(value) || value < 0) throw new RangeError(`import limit ${key} must be a non-negative number`);
      merged[key] = value;
    }
  }
  return merged;
}

export function tooManyFeatures(limits: ImportLimits): ImportFileError {
  return new ImportFileError('TOO_MANY_FEATURES', `The file has more than ${limits.maxFeatures} features; split it into smaller files.`, { maxFeatures: limits.maxFeatures });
}
