export type { ExportLayer, ExportNode, ExportSegment, ExportSite, ExportValue } from './export-types';
export { toCsv, toCsvTable } from './csv-export';
export { toGeoJson } from './geojson-export';
export { kmlColour, toKml, toKmz, type KmlOptions } from './kml-export';
export {
  OFDS_NODE_KIND,
  OFDS_PLACEMENT,
  OFDS_SCHEMA_URL,
  OFDS_STATUS,
  OFDS_VERSION,
  toOfdsGeoJson,
  toOfdsZip,
  type OfdsGeoJson,
  type OfdsNetworkInfo,
  type OfdsStatus,
} from './ofds-export';
export { zipStream, type LazyZipEntry } from './zip-writer';
export { escapeXml } from './xml-escape';
