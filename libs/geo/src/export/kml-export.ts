import { SITE_CONNECTION_COLOURS, SITE_CONNECTIONS, STATUS_SYMBOLS, UNKNOWN_STATUS_SYMBOL, type SiteConnection } from '@serat/contract';
import { NETWORK_STATUSES, type NetworkStatus } from '@serat/vocabulary';
import type { ExportLayer, ExportNode, ExportSegment, ExportSite } from './export-types';
import { fieldsOf, joinPositions, linePositions, pointPosition, valueOf, type ExportItem } from './layer-fields';
import { escapeXml } from './xml-escape';
import { Utf8Builder, writeZip } from './zip-writer';

export interface KmlOptions {
  /** One Folder per status (sites: connected / not_connected) or per phase. */
  groupBy: 'status' | 'phase';
  /** The Document's name. */
  title: string;
  /** Folder names for status codes, e.g. { in_construction: 'Dalam konstruksi' }; the code itself otherwise. */
  statusLabels?: Record<string, string>;
  /** Folder name for items without a phase (nodes have none). */
  noPhaseLabel?: string;
}

/** Lifecycle order, in the map's colours (libs/contract: the web app draws with the same table). */
const STATUS_COLOURS: ReadonlyArray<readonly [NetworkStatus, string]> = NETWORK_STATUSES.map((status) => [status, STATUS_SYMBOLS[status].color] as const);
const UNKNOWN_COLOUR = UNKNOWN_STATUS_SYMBOL.color;
/** Sites have no lifecycle status, only whether they are connected. */
const SITE_COLOURS: ReadonlyArray<readonly [SiteConnection, string]> = SITE_CONNECTIONS.map((connection) => [connection, SITE_CONNECTION_COLOURS[connection]] as const);
const UNKNOWN_STYLE = 'unknown';
const POINT_ICON = 'http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png';

/** #rrggbb → KML aabbggrr, opaque. */
export function kmlColour(hex: string): string {
  const rgb = hex.replace('#', '').toLowerCase();
  return `ff${rgb.slice(4, 6)}${rgb.slice(2, 4)}${rgb.slice(0, 2)}`;
}

function styleXml(id: string, hex: string, isLine: boolean): string {
  const colour = kmlColour(hex);
  const geometryStyle = isLine
    ? `<LineStyle><color>${colour}</color><width>3</width></LineStyle>`
    : `<IconStyle><color>${colour}</color><scale>0.8</scale><Icon><href>${POINT_ICON}</href></Icon></IconStyle>`;
  return `<Style id="status-${id}">${geometryStyle}<LabelStyle><scale>0.7</scale></LabelStyle></Style>`;
}

function statusKey(layer: ExportLayer, item: ExportItem): string {
  return layer.kind === 'sites' ? ((item as ExportSite).connected ? 'connected' : 'not_connected') : String((item as ExportNode | ExportSegment).status);
}

interface Group {
  name: string;
  items: ExportItem[];
}

function groupItems(layer: ExportLayer, options: KmlOptions): Group[] {
  const buckets = new Map<string | null, ExportItem[]>();
  for (const item of layer.items) {
    const key = options.groupBy === 'status' ? statusKey(layer, item) : ((valueOf(item, 'phaseName') as string | null) ?? null);
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = []));
    bucket.push(item);
  }
  const keys = [...buckets.keys()];
  if (options.groupBy === 'status') {
    const order = new Map<string, number>((layer.kind === 'sites' ? SITE_COLOURS : STATUS_COLOURS).map(([status], index) => [status, index]));
    keys.sort((a, b) => (order.get(a!) ?? order.size) - (order.get(b!) ?? order.size) || a!.localeCompare(b!));
    const labels = options.statusLabels ?? {};
    return keys.map((key) => {
      const label = Object.hasOwn(labels, key!) ? labels[key!] : undefined;
      return { name: typeof label === 'string' && label !== '' ? label : key!, items: buckets.get(key)! };
    });
  }
  // Phases by name with numbers in order (Tahap 2 before Tahap 10); no phase last.
  keys.sort((a, b) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b, 'id', { numeric: true })));
  return keys.map((key) => ({ name: key ?? options.noPhaseLabel ?? 'Tanpa tahap', items: buckets.get(key)! }));
}

function placemarkXml(layer: ExportLayer, item: ExportItem, fields: readonly string[], styleIds: ReadonlySet<string>): string {
  const parts: string[] = ['<Placemark><name>', escapeXml(item.code), '</name>'];
  const key = statusKey(layer, item);
  parts.push('<styleUrl>#status-', styleIds.has(key) ? key : UNKNOWN_STYLE, '</styleUrl><ExtendedData>');
  for (const field of fields) {
    const value = valueOf(item, field);
    parts.push('<Data name="', field, '"><value>', value === null ? '' : escapeXml(String(value)), '</value></Data>');
  }
  if (layer.kind === 'segments') {
    parts.push('</ExtendedData><LineString><tessellate>1</tessellate><coordinates>');
    parts.push(joinPositions(linePositions(item as ExportSegment), ',', ' '));
    parts.push('</coordinates></LineString></Placemark>');
  } else {
    const position = pointPosition(item as ExportNode | ExportSite);
    parts.push('</ExtendedData><Point><coordinates>', joinPositions([position], ',', ' '), '</coordinates></Point></Placemark>');
  }
  return parts.join('');
}

/** Writes the KML of toKml piece by piece (about one per Placemark). */
function writeKml(layer: ExportLayer, options: KmlOptions, write: (piece: string) => void): void {
  const fields = fieldsOf(layer);
  const isLine = layer.kind === 'segments';
  const palette = layer.kind === 'sites' ? SITE_COLOURS : STATUS_COLOURS;
  const styleIds = new Set(palette.map(([status]) => status));
  write('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">\n<Document>\n');
  write(`<name>${escapeXml(options.title)}</name>\n<open>1</open>\n`);
  for (const [status, hex] of palette) write(styleXml(status, hex, isLine) + '\n');
  write(styleXml(UNKNOWN_STYLE, UNKNOWN_COLOUR, isLine) + '\n');
  for (const group of groupItems(layer, options)) {
    write(`<Folder>\n<name>${escapeXml(group.name)}</name>\n`);
    for (const item of group.items) write(placemarkXml(layer, item, fields, styleIds) + '\n');
    write('</Folder>\n');
  }
  write('</Document>\n</kml>\n');
}

/**
 * KML 2.2: a Document named `title` with one Style per status (the map's colours), one Folder per
 * status or phase, and a Placemark per item named by its code with every attribute field in
 * ExtendedData (empty value for null). All text is XML-escaped; no CDATA, no DOCTYPE.
 */
export function toKml(layer: ExportLayer, options: KmlOptions): string {
  const pieces: string[] = [];
  writeKml(layer, options, (piece) => pieces.push(piece));
  return pieces.join('');
}

/** KMZ: the KML of toKml as doc.kml in a zip (encoded as it is written, never one string). */
export async function toKmz(layer: ExportLayer, options: KmlOptions): Promise<Buffer> {
  const kml = new Utf8Builder();
  writeKml(layer, options, (piece) => kml.push(piece));
  return writeZip([{ name: 'doc.kml', data: kml.toBuffer() }]);
}
