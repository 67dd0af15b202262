import proj4 from 'proj4';
import type { PositionTransform } from './geometry-normalize';
import { ImportFileError } from './import-types';

/** One node of OGC/ESRI well-known text: KEYWORD["name", …children]. Offsets index the source text. */
interface WktNode {
  keyword: string;
  name: string | null;
  children: WktNode[];
  start: number;
  end: number;
}

/** Keywords of a horizontal CRS in WKT1 (OGC, ESRI) and WKT2. */
const HORIZONTAL = new Set(['PROJCS', 'GEOGCS', 'PROJCRS', 'GEOGCRS', 'GEODCRS', 'GEOGRAPHICCRS', 'PROJECTEDCRS']);
const COMPOUND = new Set(['COMPD_CS', 'COMPOUNDCRS']);
const GEOGRAPHIC = new Set(['GEOGCS', 'GEOGCRS', 'GEOGRAPHICCRS']);

/** Parses WKT into top-level nodes; null when the text is not WKT. */
function parseWkt(text: string): WktNode[] | null {
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const readString = (): string | null => {
    if (text[i] !== '"') return null;
    let value = '';
    i++;
    while (i < text.length) {
      if (text[i] === '"') {
        if (text[i + 1] === '"') {
          value += '"';
          i += 2;
          continue;
        }
        i++;
        return value;
      }
      value += text[i++];
    }
    return null;
  };
  const readNode = (depth: number): WktNode | null => {
    if (depth > 32) return null;
    skipSpace();
    const start = i;
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 64));
    if (!match) return null;
    i += match[0].length;
    skipSpace();
    const open = text[i];
    if (open !== '[' && open !== '(') return null;
    const close = open === '[' ? ']' : ')';
    i++;
    const node: WktNode = { keyword: match[0].toUpperCase(), name: null, children: [], start, end: start };
    for (let argIndex = 0; ; argIndex++) {
      skipSpace();
      if (text[i] === close) {
        i++;
        node.end = i;
        return node;
      }
      if (argIndex > 0) {
        if (text[i] !== ',') return null;
        i++;
        skipSpace();
      }
      if (text[i] === '"') {
        const value = readString();
        if (value === null) return null;
        if (argIndex === 0) node.name = value;
      } else if (/[A-Za-z_]/.test(text[i] ?? '')) {
        const save = i;
        const child = readNode(depth + 1);
        if (child) {
          node.children.push(child);
        } else {
          // A bare word such as an axis direction (NORTH, EAST).
          i = save;
          const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 64));
          if (!word) return null;
          i += word[0].length;
        }
      } else {
        const number = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(text.slice(i, i + 64));
        if (!number) return null;
        i += number[0].length;
      }
    }
  };
  const nodes: WktNode[] = [];
  skipSpace();
  while (i < text.length) {
    const node = readNode(0);
    if (!node) return null;
    nodes.push(node);
    skipSpace();
    // ESRI writes a compound CRS as two top-level nodes, GEOGCS[…],VERTCS[…].
    if (text[i] === ',') i++;
    skipSpace();
  }
  return nodes.length > 0 ? nodes : null;
}

function findHorizontal(nodes: WktNode[]): WktNode | null {
  for (const node of nodes) {
    if (HORIZONTAL.has(node.keyword)) return node;
    if (COMPOUND.has(node.keyword)) {
      const inner = findHorizontal(node.children);
      if (inner) return inner;
    }
  }
  return null;
}

function child(node: WktNode, ...keywords: string[]): WktNode | undefined {
  return node.children.find((c) => keywords.includes(c.keyword));
}

/** A geographic CRS on the WGS84 datum in degrees from Greenwich: no conversion needed. */
function isGeographicWgs84(node: WktNode): boolean {
  if (!GEOGRAPHIC.has(node.keyword)) return false;
  const datum = child(node, 'DATUM', 'GEODETICDATUM', 'TRF');
  const datumName = (datum?.name ?? '').replace(/[^a-z0-9]/gi, '').toLowerCase();
  const isWgs84Datum = /^(d)?wgs(19)?84$/.test(datumName) || datumName === 'worldgeodeticsystem1984';
  const meridian = child(node, 'PRIMEM', 'PRIMEMERIDIAN');
  const greenwich = !meridian || /greenwich/i.test(meridian.name ?? '');
  const unit = child(node, 'UNIT', 'ANGLEUNIT');
  const degrees = !unit || /degree/i.test(unit.name ?? '');
  return isWgs84Datum && greenwich && degrees;
}

export interface SourceCrs {
  /** As named in the source, e.g. 'NAD_1983_StatePlane_California_V_FIPS_0405_Feet' or 'EPSG:4326'. */
  name: string;
  /** Null when the source is WGS84 lon/lat already. */
  transform: PositionTransform | null;
}

const WGS84 = 'EPSG:4326';

function proj4Transform(definition: string): PositionTransform | null {
  try {
    const converter = proj4(definition, WGS84);
    const transform: PositionTransform = (x, y) => {
      const [lon, lat] = converter.forward([x, y]);
      return [lon, lat];
    };
    return transform;
  } catch {
    return null;
  }
}

/**
 * Reads a shapefile .prj (WKT1 in OGC or ESRI flavour, some WKT2). A compound CRS (COMPD_CS, or
 * ESRI's GEOGCS[…],VERTCS[…]) is reduced to its horizontal part: heights are dropped anyway.
 */
export function crsFromPrj(prjText: string): SourceCrs {
  const text = prjText.replace(/^\uFEFF/, '').trim();
  const nodes = parseWkt(text);
  const names = nodes?.map((n) => n.name).filter((n): n is string => !!n) ?? [];
  const name = names.length > 0 ? names.join(' + ') : text.slice(0, 80);
  const horizontal = nodes ? findHorizontal(nodes) : null;
  if (!horizontal) {
    throw new ImportFileError(
      'PRJ_UNREADABLE',
      nodes
        ? `The .prj file defines "${name}", which has no horizontal coordinate system that can be read.`
        : 'The .prj file is not a well-known-text coordinate system definition.',
      { crsName: nodes ? name : null },
    );
  }
  if (isGeographicWgs84(horizontal)) return { name, transform: null };
  const transform = proj4Transform(text.slice(horizontal.start, horizontal.end));
  if (!transform) {
    throw new ImportFileError(
      'PRJ_UNREADABLE',
      `The coordinate system "${horizontal.name ?? name}" in the .prj file cannot be converted to WGS84; export the data in WGS84 (EPSG:4326) or a common projection such as UTM.`,
      { crsName: horizontal.name ?? name },
    );
  }
  return { name, transform };
}

/** Names that mean WGS84 longitude/latitude in a GeoJSON legacy `crs` member. */
const WGS84_NAMES =
  /^(urn:ogc:def:crs:OGC:(1\.3|[\d.]*):CRS84|urn:ogc:def:crs:EPSG:[\d.]*:4326|EPSG:4326|CRS84|WGS ?84|OGC:CRS84|https?:\/\/www\.opengis\.net\/def\/crs\/(OGC\/1\.3\/CRS84|EPSG\/0\/4326))$/i;

/**
 * The CRS named by a GeoJSON (2008) `crs` member. CRS84 and EPSG:4326 are taken as lon/lat (as
 * GDAL and QGIS write them); other EPSG codes are converted when proj4 knows them (e.g. UTM zones).
 */
export function crsFromGeoJsonMember(crs: unknown): SourceCrs {
  const properties = typeof crs === 'object' && crs !== null ? (crs as { properties?: { name?: unknown } }).properties : undefined;
  const crsName = typeof properties?.name === 'string' ? properties.name.trim() : null;
  if (!crsName) {
    throw new ImportFileError('PRJ_UNREADABLE', 'The GeoJSON "crs" member does not name a coordinate system; remove it or use WGS84 (EPSG:4326).', { crs });
  }
  if (WGS84_NAMES.test(crsName)) return { name: `WGS84 (legacy crs member: ${crsName})`, transform: null };
  const epsg = /EPSG\b.*?[:/](\d+)$/i.exec(crsName);
  const transform = epsg ? proj4Transform(`EPSG:${epsg[1]}`) : null;
  if (!transform) {
    throw new ImportFileError('PRJ_UNREADABLE', `The GeoJSON "crs" member names ${crsName}, which cannot be converted to WGS84 here; export the file in WGS84 (EPSG:4326).`, {
      crsName,
    });
  }
  return { name: `EPSG:${epsg![1]} (legacy crs member: ${crsName})`, transform };
}

/** An EPSG code as a transform to WGS84; null for EPSG:4326 itself, undefined when proj4 does not know it. */
export function transformForEpsg(code: number): PositionTransform | null | undefined {
  if (code === 4326) return null;
  return proj4Transform(`EPSG:${code}`) ?? undefined;
}
