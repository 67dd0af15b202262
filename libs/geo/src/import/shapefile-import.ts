import type { Feature } from 'geojson';
import * as shapefile from 'shapefile';
import { crsFromPrj, type SourceCrs } from './crs';
import { FeatureCollector } from './feature-collector';
import { toImportValue } from './import-properties';
import { ImportFileError, tooManyFeatures, type ImportLimits, type ImportProperties, type ParsedImport } from './import-types';
import { SafeZip, isIgnorableEntry } from './zip-reader';

interface LayerFiles {
  name: string;
  shp?: string;
  dbf?: string;
  prj?: string;
  cpg?: string;
}

/** Groups zip entries into layers by path without extension: roads.shp + roads.dbf + roads.prj. */
function groupLayers(names: string[]): LayerFiles[] {
  const layers = new Map<string, LayerFiles>();
  for (const name of names) {
    if (isIgnorableEntry(name)) continue;
    const match = /^(.*)\.(shp|dbf|prj|cpg)$/i.exec(name);
    if (!match) continue;
    const key = match[1].toLowerCase();
    const layer = layers.get(key) ?? { name: match[1].slice(match[1].lastIndexOf('/') + 1) };
    layer[match[2].toLowerCase() as 'shp' | 'dbf' | 'prj' | 'cpg'] = name;
    layers.set(key, layer);
  }
  return [...layers.values()].filter((layer) => layer.shp);
}

/** A .cpg code page as a WHATWG encoding label; null when it names none we know. */
export function encodingFromCpg(cpg: string): string | null {
  const text = cpg
    .trim()
    .toLowerCase()
    .replace(/^ansi[\s_]*/, '');
  if (/^(utf-?8|65001)$/.test(text)) return 'utf-8';
  if (/^(iso[-_ ]?8859[-_ ]?1|88591|latin-?1)$/.test(text)) return 'iso-8859-1';
  const codePage = /^(?:cp|windows-?)?(\d{3,4})$/.exec(text)?.[1];
  if (codePage && /^(874|125[0-8])$/.test(codePage)) return `windows-${codePage}`;
  if (codePage === '936') return 'gbk';
  if (codePage === '932') return 'shift_jis';
  try {
    return new TextDecoder(text).encoding;
  } catch {
    return null;
  }
}

/** UTF-8 unless the .cpg says otherwise; Latin-1 when the records are not valid UTF-8 (older ArcGIS). */
function dbfEncoding(dbf: Uint8Array, cpg: string | null): string {
  const declared = cpg ? encodingFromCpg(cpg) : null;
  if (declared && declared !== 'utf-8') return declared;
  const headerBytes = dbf.length >= 10 ? dbf[8] | (dbf[9] << 8) : 0;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(dbf.subarray(headerBytes));
    return 'utf-8';
  } catch {
    return 'iso-8859-1';
  }
}

/** dBase dates come back as local-midnight Dates: write them as the calendar date they were. */
function dbfValue(value: unknown): string | number | boolean | null {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
  }
  return toImportValue(value);
}

function dbfProperties(source: unknown): ImportProperties {
  const properties: ImportProperties = {};
  if (source && typeof source === 'object') {
    for (const [key, value] of Object.entries(source)) properties[key] = dbfValue(value);
  }
  return properties;
}

function positionsOf(geometry: unknown, visit: (x: number, y: number) => void): void {
  const walk = (value: unknown): void => {
    if (!Array.isArray(value)) return;
    if (typeof value[0] === 'number') visit(value[0], value[1] as number);
    else value.forEach(walk);
  };
  if (geometry && typeof geometry === 'object') walk((geometry as { coordinates?: unknown }).coordinates);
}

/** A fresh copy: the shapefile reader views the whole ArrayBuffer, and small Buffers share a pool. */
const ownBytes = (buffer: Buffer): Uint8Array => new Uint8Array(buffer);

async function readLayer(zip: SafeZip, layer: LayerFiles, limits: ImportLimits, collector: FeatureCollector, folder: string[]): Promise<string> {
  const prjText = layer.prj ? (await zip.read(layer.prj)).toString('utf8') : null;
  let crs: SourceCrs | null = prjText !== null && prjText.trim() !== '' ? crsFromPrj(prjText) : null;
  const cpg = layer.cpg ? (await zip.read(layer.cpg)).toString('latin1') : null;
  const shp = ownBytes(await zip.read(layer.shp!));
  const dbf = layer.dbf ? ownBytes(await zip.read(layer.dbf)) : undefined;

  // Without a .prj only lon/lat can be assumed, and only if every coordinate fits: read first, then decide.
  const pending: { recordNumber: number; feature: Feature }[] = [];
  try {
    const source = await shapefile.open(shp, dbf, { encoding: dbf ? dbfEncoding(dbf, cpg) : 'utf-8' });
    for (let recordNumber = 1; ; recordNumber++) {
      const { done, value } = await source.read();
      if (done) break;
      if (crs) {
        collector.add({
          sourceId: String(recordNumber),
          positional: true,
          folder,
          geometry: value.geometry,
          properties: dbfProperties(value.properties),
          transform: crs.transform,
        });
      } else {
        if (collector.count + pending.length >= limits.maxFeatures) throw tooManyFeatures(limits);
        pending.push({ recordNumber, feature: value });
      }
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError('MALFORMED', `The shapefile ${layer.name} cannot be read: ${(error as Error).message}`);
  }

  if (!crs) {
    let inRange = true;
    for (const { feature } of pending) {
      positionsOf(feature.geometry, (x, y) => {
        // Non-finite values become per-feature problems below; they say nothing about the CRS.
        if (Number.isFinite(x) && Number.isFinite(y) && (Math.abs(x) > 180 || Math.abs(y) > 90)) inRange = false;
      });
    }
    if (!inRange) {
      throw new ImportFileError(
        'PRJ_MISSING',
        `The shapefile ${layer.name} has no .prj file and its coordinates are not longitude/latitude; add the .prj that came with it to the zip.`,
        { layer: layer.name },
      );
    }
    crs = { name: 'WGS84 (assumed: no .prj)', transform: null };
    for (const { recordNumber, feature } of pending) {
      collector.add({ sourceId: String(recordNumber), positional: true, folder, geometry: feature.geometry, properties: dbfProperties(feature.properties) });
    }
  }
  return crs.name;
}

/**
 * A zipped shapefile, or several: each .shp with its .dbf, .prj and .cpg. Coordinates are converted
 * to WGS84 with the .prj; with several layers each feature's folder is [layer name].
 */
export async function parseShapefileZip(bytes: Buffer, limits: ImportLimits): Promise<ParsedImport> {
  const zip = await SafeZip.open(bytes, limits);
  try {
    const layers = groupLayers(zip.entries.map((entry) => entry.name));
    if (layers.length === 0) throw new ImportFileError('MALFORMED', 'The zip archive contains no .shp file.');
    const collector = new FeatureCollector(limits);
    const crsNames: string[] = [];
    for (const layer of layers) {
      const crsName = await readLayer(zip, layer, limits, collector, layers.length > 1 ? [layer.name] : []);
      if (!crsNames.includes(crsName)) crsNames.push(crsName);
    }
    return { format: 'shapefile', sourceCrs: crsNames.join('; '), features: collector.features, problems: collector.problems };
  } finally {
    zip.close();
  }
}
