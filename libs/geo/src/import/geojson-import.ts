import { crsFromGeoJsonMember, type SourceCrs } from './crs';
import { FeatureCollector } from './feature-collector';
import { toImportProperties, toSourceId } from './import-properties';
import { ImportFileError, tooManyFeatures, type ImportLimits, type ParsedImport } from './import-types';

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

export function decodeUtf8Text(bytes: Buffer, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ImportFileError('MALFORMED', `The ${what} is not valid UTF-8 text.`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** GeoJSON (RFC 7946, or 2008 with a `crs` member): a FeatureCollection, one Feature or a bare geometry. */
export function parseGeoJson(bytes: Buffer, limits: ImportLimits): ParsedImport {
  let root: unknown;
  try {
    root = JSON.parse(decodeUtf8Text(bytes, 'GeoJSON file'));
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError('MALFORMED', `The file is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(root) || typeof root.type !== 'string') {
    throw new ImportFileError('MALFORMED', 'The JSON is not GeoJSON: it has no "type" member.');
  }

  let items: unknown[];
  if (root.type === 'FeatureCollection') {
    if (!Array.isArray(root.features)) throw new ImportFileError('MALFORMED', 'The FeatureCollection has no "features" array.');
    items = root.features;
  } else if (root.type === 'Feature') {
    items = [root];
  } else if (GEOMETRY_TYPES.has(root.type)) {
    items = [{ type: 'Feature', geometry: root, properties: {} }];
  } else {
    throw new ImportFileError('MALFORMED', `The JSON is not GeoJSON: unknown type ${JSON.stringify(root.type)}.`);
  }
  if (items.length > limits.maxFeatures) throw tooManyFeatures(limits);

  const crs: SourceCrs = root.crs === undefined || root.crs === null ? { name: 'EPSG:4326', transform: null } : crsFromGeoJsonMember(root.crs);
  const collector = new FeatureCollector(limits);
  for (const item of items) {
    if (!isObject(item) || item.type !== 'Feature') {
      collector.problem(null, 'INVALID_FEATURE', 'The entry in "features" is not a GeoJSON Feature.');
      continue;
    }
    collector.add({
      sourceId: toSourceId(item.id),
      geometry: item.geometry,
      properties: toImportProperties(item.properties),
      transform: crs.transform,
    });
  }
  return { format: 'geojson', sourceCrs: crs.name, features: collector.features, problems: collector.problems };
}
