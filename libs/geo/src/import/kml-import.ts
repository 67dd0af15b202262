import { kmlWithFolders, type Folder, type Root } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import type { Feature, Geometry } from 'geojson';
import { FeatureCollector } from './feature-collector';
import { toImportProperties, toSourceId } from './import-properties';
import { ImportFileError, tooManyFeatures, type ImportLimits, type ParsedImport } from './import-types';
import { SafeZip, isIgnorableEntry } from './zip-reader';

/** Decodes XML bytes by BOM, then by the encoding in the XML declaration, else UTF-8 (Latin-1 if not valid UTF-8). */
export function decodeXml(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  const declared = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(bytes.subarray(0, 200).toString('latin1'));
  const label = declared?.[1].toLowerCase() ?? 'utf-8';
  if (label !== 'utf-8' && label !== 'utf8') {
    try {
      return new TextDecoder(label).decode(bytes);
    } catch {
      // An encoding Node does not know: read as UTF-8 below.
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

/**
 * Refuses markup declarations (<!DOCTYPE, <!ENTITY, <!ELEMENT…) before any parser sees the text, so
 * that no entity is ever expanded and no external entity fetched. Comments and CDATA sections are
 * skipped exactly as an XML parser skips them: HTML inside a CDATA description is only text.
 */
export function assertNoMarkupDeclarations(xml: string): void {
  let at = xml.indexOf('<!');
  while (at !== -1) {
    if (xml.startsWith('<!--', at)) {
      const end = xml.indexOf('-->', at + 4);
      if (end === -1) throw new ImportFileError('MALFORMED', 'The XML has a comment that is never closed.');
      at = xml.indexOf('<!', end + 3);
    } else if (xml.startsWith('<![CDATA[', at)) {
      const end = xml.indexOf(']]>', at + 9);
      if (end === -1) throw new ImportFileError('MALFORMED', 'The XML has a CDATA section that is never closed.');
      at = xml.indexOf('<!', end + 3);
    } else {
      const declaration = /^<!\s*([A-Za-z]*)/.exec(xml.slice(at, at + 20))?.[1].toUpperCase() || 'markup';
      throw new ImportFileError(
        'XML_FORBIDDEN',
        `The XML contains a <!${declaration} declaration. Document type and entity declarations are refused for safety; export the KML again without them.`,
        { declaration },
      );
    }
  }
}

function parseXml(xml: string): ReturnType<DOMParser['parseFromString']> {
  assertNoMarkupDeclarations(xml);
  try {
    const doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(xml, 'text/xml');
    if (doc.doctype) throw new ImportFileError('XML_FORBIDDEN', 'The XML contains a document type declaration.');
    return doc;
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError('MALFORMED', `The KML is not well-formed XML: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** togeojson turns a CDATA description into {"@type": "html", value}; keep the text. */
function flattenDescription(properties: Record<string, unknown>): Record<string, unknown> {
  const description = properties.description;
  if (typeof description === 'object' && description !== null && 'value' in description) {
    return { ...properties, description: (description as { value: unknown }).value };
  }
  return properties;
}

function isFolder(node: Folder | Feature<Geometry | null>): node is Folder {
  return node.type === 'folder';
}

/** KML 2.2: Placemarks with their Folder path; name, description and ExtendedData as properties. */
export function parseKml(bytes: Buffer, limits: ImportLimits, format: 'kml' | 'kmz' = 'kml'): ParsedImport {
  const doc = parseXml(decodeXml(bytes));
  const root = doc.documentElement;
  if (!root || root.localName !== 'kml') throw new ImportFileError('MALFORMED', 'The XML document is not KML: its root element is not <kml>.');
  if (doc.getElementsByTagName('Placemark').length > limits.maxFeatures) throw tooManyFeatures(limits);

  let tree: Root;
  try {
    tree = kmlWithFolders(doc);
  } catch (error) {
    // Pathologically deep nesting overflows the stack of the converter.
    throw new ImportFileError('MALFORMED', `The KML cannot be read: ${(error as Error).message}`);
  }
  const collector = new FeatureCollector(limits);
  const visit = (children: Root['children'], folder: string[]): void => {
    for (const node of children) {
      if (isFolder(node)) {
        const name = typeof node.meta.name === 'string' ? node.meta.name.trim() : '';
        visit(node.children, [...folder, name]);
        continue;
      }
      const properties = (node.properties ?? {}) as Record<string, unknown>;
      // Image overlays and links to other files are not network features.
      if (properties['@geometry-type'] === 'groundoverlay' || properties['@geometry-type'] === 'networklink') continue;
      collector.add({
        sourceId: toSourceId(node.id),
        folder,
        geometry: node.geometry,
        properties: toImportProperties(flattenDescription(properties)),
      });
    }
  };
  visit(tree.children, []);
  return { format, sourceCrs: 'EPSG:4326', features: collector.features, problems: collector.problems };
}

/** The KML inside a KMZ: doc.kml by convention, else the first .kml at the top level, else any. */
function pickKmlEntry(names: string[]): string | null {
  const kmls = names.filter((name) => !isIgnorableEntry(name) && name.toLowerCase().endsWith('.kml'));
  return kmls.find((name) => name.toLowerCase() === 'doc.kml') ?? kmls.find((name) => !name.includes('/')) ?? kmls[0] ?? null;
}

export async function parseKmz(bytes: Buffer, limits: ImportLimits): Promise<ParsedImport> {
  const zip = await SafeZip.open(bytes, limits);
  try {
    const entry = pickKmlEntry(zip.entries.map((e) => e.name));
    if (!entry) throw new ImportFileError('MALFORMED', 'The KMZ archive contains no .kml file.');
    return parseKml(await zip.read(entry), limits, 'kmz');
  } finally {
    zip.close();
  }
}
