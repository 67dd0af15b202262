import { ImportFileError, type ImportFormat } from './import-types';
import { isIgnorableEntry, listZipEntryNames, looksLikeZip } from './zip-reader';

const BY_EXTENSION: Record<string, ImportFormat> = {
  geojson: 'geojson',
  json: 'geojson',
  kml: 'kml',
  kmz: 'kmz',
  csv: 'csv',
  txt: 'csv',
  zip: 'shapefile',
};

function extensionOf(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** The first characters of a text file, without BOM and leading whitespace. */
function textHead(bytes: Buffer, length = 4096): string {
  return bytes
    .subarray(0, length)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
}

function unsupported(fileName: string, why: string): ImportFileError {
  return new ImportFileError(
    'UNSUPPORTED_FORMAT',
    `${fileName || 'The file'} ${why}. Accepted: GeoJSON, KML, KMZ, CSV (WKT or longitude/latitude columns) and zipped shapefiles (.shp with .dbf and .prj).`,
  );
}

/**
 * Recognises the format by content first (zip magic and what the archive holds, '<kml', a JSON
 * object), then by the file name's extension.
 */
export function detectFormat(fileName: string, bytes: Buffer): ImportFormat {
  const extension = extensionOf(fileName);
  if (looksLikeZip(bytes)) {
    const names = listZipEntryNames(bytes).filter((name) => !isIgnorableEntry(name));
    const hasKml = names.some((name) => name.toLowerCase().endsWith('.kml'));
    const hasShp = names.some((name) => name.toLowerCase().endsWith('.shp'));
    if (hasKml && hasShp) return extension === 'kmz' ? 'kmz' : 'shapefile';
    if (hasKml) return 'kmz';
    if (hasShp) return 'shapefile';
    if (extension === 'kmz') return 'kmz';
    throw unsupported(fileName, 'is a zip archive with neither a .kml nor a .shp file in it');
  }
  const head = textHead(bytes);
  if (head.startsWith('<')) {
    if (/<(\w+:)?kml[\s>]/i.test(head) || extension === 'kml') return 'kml';
    throw unsupported(fileName, 'is XML but not KML');
  }
  if (head.startsWith('{')) return 'geojson';
  const byExtension = BY_EXTENSION[extension];
  // A .zip or .kmz without zip magic is reported as malformed by its parser.
  if (byExtension) return byExtension;
  if (extension === 'shp' || extension === 'dbf' || extension === 'shx' || extension === 'prj') {
    throw unsupported(fileName, 'is one part of a shapefile; put the .shp, .dbf and .prj files together in one .zip');
  }
  const firstLine = head.split(/\r?\n/, 1)[0] ?? '';
  if (/[,;]/.test(firstLine) && /(^|[,;"\s])(wkt|geom|geometry|the_geom|lon|lng|long|longitude|x)([,;"\s]|$)/i.test(firstLine)) return 'csv';
  throw unsupported(fileName, 'is not in a recognised format');
}
