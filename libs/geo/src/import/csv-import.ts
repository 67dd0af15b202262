import { parse } from 'csv-parse/sync';
import { Geometry as WkxGeometry } from 'wkx';
import { transformForEpsg } from './crs';
import { FeatureCollector } from './feature-collector';
import type { PositionTransform } from './geometry-normalize';
import { ImportFileError, tooManyFeatures, type ImportLimits, type ImportProperties, type ParsedImport } from './import-types';

const WKT_COLUMNS = ['wkt', 'geometry', 'geom', 'the_geom', 'wkb_geometry'];
// bujur/lintang: longitude/latitude in Bahasa Indonesia.
const LON_COLUMNS = ['lon', 'lng', 'long', 'longitude', 'x', 'bujur'];
const LAT_COLUMNS = ['lat', 'latitude', 'y', 'lintang'];
const ID_COLUMNS = ['id', 'fid', 'objectid'];

function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Spreadsheets on Windows still write Windows-1252.
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** The delimiter is the one of , ; and tab found most often in the header line (outside quotes). */
function detectDelimiter(text: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && char in counts) counts[char as keyof typeof counts] += 1;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return ',';
}

function findColumn(header: string[], names: string[]): number {
  for (const name of names) {
    const index = header.findIndex((column) => column.trim().toLowerCase() === name);
    if (index >= 0) return index;
  }
  return -1;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A coordinate cell; with ';' as delimiter a decimal comma is read as a point (113,05 → 113.05). */
function parseCoordinate(cell: string | undefined, decimalComma: boolean): number | null {
  let text = (cell ?? '').trim();
  if (decimalComma && /^[^.]*,[^.,]*$/.test(text)) text = text.replace(',', '.');
  return NUMBER.test(text) ? Number(text) : null;
}

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/** CSV with a header row; geometry from a WKT column, else from longitude/latitude columns (WGS84). */
export function parseCsv(bytes: Buffer, limits: ImportLimits): ParsedImport {
  const text = decodeText(bytes).replace(/^\uFEFF/, '');
  const delimiter = detectDelimiter(text);
  let rows: CsvRecord[];
  try {
    rows = parse(text, {
      delimiter,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      // Header plus one record more than allowed: enough to know the limit is passed, no more.
      to: limits.maxFeatures + 2,
    }) as unknown as CsvRecord[];
  } catch (error) {
    throw new ImportFileError('MALFORMED', `The CSV cannot be read: ${(error as Error).message}`);
  }
  if (rows.length === 0) throw new ImportFileError('NO_FEATURES', 'The CSV file is empty.');
  if (rows.length - 1 > limits.maxFeatures) throw tooManyFeatures(limits);

  const header = rows[0].record.map((name) => name.trim());
  const wktColumn = findColumn(header, WKT_COLUMNS);
  const lonColumn = findColumn(header, LON_COLUMNS);
  const latColumn = findColumn(header, LAT_COLUMNS);
  if (wktColumn < 0 && (lonColumn < 0 || latColumn < 0)) {
    throw new ImportFileError(
      'MALFORMED',
      `The CSV has no geometry column: expected a WKT column (${WKT_COLUMNS.join(', ')}) or longitude and latitude columns (${LON_COLUMNS.join(', ')} / ${LAT_COLUMNS.join(', ')}). Found: ${header.join(', ')}.`,
    );
  }
  const idColumn = findColumn(header, ID_COLUMNS);
  const geometryColumns = new Set(wktColumn >= 0 ? [wktColumn] : [lonColumn, latColumn]);
  const propertyNames = uniqueNames(header);
  const decimalComma = delimiter === ';';
  const transforms = new Map<number, PositionTransform | null | undefined>();
  const collector = new FeatureCollector(limits);

  for (const { record, info } of rows.slice(1)) {
    const ownId = idColumn >= 0 ? record[idColumn]?.trim() : '';
    const sourceId = ownId || `line ${info.lines}`;
    const positional = !ownId;
    const properties: ImportProperties = {};
    propertyNames.forEach((name, column) => {
      if (!geometryColumns.has(column)) properties[name] = record[column] === undefined || record[column] === '' ? null : record[column];
    });

    if (wktColumn >= 0) {
      const wkt = (record[wktColumn] ?? '').trim();
      if (wkt === '') {
        collector.problem(sourceId, 'MISSING_COORDINATES', `The ${header[wktColumn]} cell is empty.`);
        continue;
      }
      let parsed: WkxGeometry;
      try {
        parsed = WkxGeometry.parse(wkt);
      } catch (error) {
        collector.problem(sourceId, 'UNPARSEABLE_WKT', `The WKT cannot be read: ${(error as Error).message}.`);
        continue;
      }
      let transform: PositionTransform | null | undefined = null;
      if (parsed.srid !== undefined && parsed.srid !== null && parsed.srid !== 4326) {
        if (!transforms.has(parsed.srid)) transforms.set(parsed.srid, transformForEpsg(parsed.srid));
        transform = transforms.get(parsed.srid);
        if (transform === undefined) {
          collector.problem(sourceId, 'UNSUPPORTED_SRID', `The WKT is in SRID ${parsed.srid}, which cannot be converted to WGS84 here.`);
          continue;
        }
      }
      collector.add({ sourceId, positional, geometry: parsed.toGeoJSON(), properties, transform });
      continue;
    }

    const lonText = record[lonColumn];
    const latText = record[latColumn];
    if (!lonText?.trim() || !latText?.trim()) {
      collector.problem(sourceId, 'MISSING_COORDINATES', 'The longitude or latitude cell is empty.');
      continue;
    }
    const lon = parseCoordinate(lonText, decimalComma);
    const lat = parseCoordinate(latText, decimalComma);
    if (lon === null || lat === null) {
      collector.problem(sourceId, 'NON_FINITE_COORDINATE', `The longitude/latitude "${lonText}" / "${latText}" is not a pair of decimal numbers.`);
      continue;
    }
    collector.add({ sourceId, positional, geometry: { type: 'Point', coordinates: [lon, lat] }, properties });
  }
  return { format: 'csv', sourceCrs: 'EPSG:4326', features: collector.features, problems: collector.problems };
}

/** Header names made unique ("name", "name_2") so that no column overwrites another. */
function uniqueNames(header: string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((raw, column) => {
    const name = raw === '' ? `column_${column + 1}` : raw;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name}_${count}`;
  });
}
