import type { ExportLayer, ExportNode, ExportSegment, ExportSite } from './export-types';
import { fieldsOf, linePositions, pointPosition, propertiesOf } from './layer-fields';

/**
 * An RFC 7946 FeatureCollection: WGS84 lon/lat at full precision, the feature id is the code,
 * properties are every attribute field (geometry columns excluded). One feature per line, so the
 * text diffs well and can be read line by line.
 */
export function toGeoJson(layer: ExportLayer): string {
  const fields = fieldsOf(layer);
  const parts: string[] = new Array(layer.items.length);
  for (let i = 0; i < layer.items.length; i++) {
    const item = layer.items[i];
    const geometry =
      layer.kind === 'segments'
        ? { type: 'LineString', coordinates: linePositions(item as ExportSegment) }
        : { type: 'Point', coordinates: pointPosition(item as ExportNode | ExportSite) };
    parts[i] = JSON.stringify({ type: 'Feature', id: item.code, geometry, properties: propertiesOf(item, fields) });
  }
  if (parts.length === 0) return '{"type":"FeatureCollection","features":[]}\n';
  return `{"type":"FeatureCollection","features":[\n${parts.join(',\n')}\n]}\n`;
}
