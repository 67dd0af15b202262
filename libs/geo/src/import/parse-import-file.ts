import { parseCsv } from './csv-import';
import { detectFormat } from './detect-format';
import { parseGeoJson } from './geojson-import';
import { ImportFileError, resolveLimits, type ImportLimits, type ParsedImport } from './import-types';
import { parseKml, parseKmz } from './kml-import';
import { parseShapefileZip } from './shapefile-import';

/**
 * Reads an uploaded file (GeoJSON, KML, KMZ, CSV or zipped shapefile) into WGS84 features.
 * Features that cannot be imported are listed in `problems`; a file that cannot be read at all
 * throws ImportFileError. Pure: nothing is written anywhere.
 */
export async function parseImportFile(fileName: string, bytes: Buffer, limits?: Partial<ImportLimits>): Promise<ParsedImport> {
  const resolved = resolveLimits(limits);
  if (bytes.length > resolved.maxFileBytes) {
    throw new ImportFileError('FILE_TOO_LARGE', `The file is ${bytes.length} bytes; at most ${resolved.maxFileBytes} bytes are accepted.`, {
      fileBytes: bytes.length,
      maxFileBytes: resolved.maxFileBytes,
    });
  }
  const format = detectFormat(fileName, bytes);
  let parsed: ParsedImport;
  switch (format) {
    case 'geojson':
      parsed = parseGeoJson(bytes, resolved);
      break;
    case 'kml':
      parsed = parseKml(bytes, resolved);
      break;
    case 'kmz':
      parsed = await parseKmz(bytes, resolved);
      break;
    case 'csv':
      parsed = parseCsv(bytes, resolved);
      break;
    case 'shapefile':
      parsed = await parseShapefileZip(bytes, resolved);
      break;
  }
  if (parsed.features.length === 0 && parsed.problems.length === 0) {
    throw new ImportFileError('NO_FEATURES', 'The file contains no features.');
  }
  return parsed;
}
