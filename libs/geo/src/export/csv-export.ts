import type { ExportLayer, ExportNode, ExportSegment, ExportSite, ExportValue } from './export-types';
import { fieldsOf, formatNumber, joinPositions, linePositions, pointPosition, valueOf } from './layer-fields';

/** Excel reads a file without a BOM as the ANSI code page and mangles non-ASCII names. */
const BOM = '\uFEFF';
const EOL = '\r\n';

/**
 * Characters with which a spreadsheet starts a formula (= + - @), and tab and carriage return,
 * which some spreadsheets strip before looking (OWASP "CSV injection").
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** A text cell: formula triggers neutralised with a leading apostrophe, then RFC 4180 quoting. */
export function csvTextCell(text: string): string {
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Numbers are written as numbers (a negative latitude is not a formula); booleans as true/false;
 * null as an empty cell.
 */
function csvCell(value: ExportValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return csvTextCell(value);
}

/**
 * Header plus one row per item, RFC 4180 (comma, CRLF, double-quote quoting), UTF-8 with BOM.
 * Points get lon and lat columns; every row ends with a WKT geometry (POINT or LINESTRING, WGS84).
 */
export function toCsv(layer: ExportLayer): string {
  const fields = fieldsOf(layer);
  const isLine = layer.kind === 'segments';
  const header = isLine ? [...fields, 'wkt'] : [...fields, 'lon', 'lat', 'wkt'];
  const lines: string[] = new Array(layer.items.length + 1);
  lines[0] = header.map(csvTextCell).join(',');
  const cells: string[] = new Array(header.length);
  for (let i = 0; i < layer.items.length; i++) {
    const item = layer.items[i];
    let column = 0;
    for (const field of fields) cells[column++] = csvCell(valueOf(item, field));
    if (isLine) {
      cells[column] = `"LINESTRING (${joinPositions(linePositions(item as ExportSegment), ' ', ', ')})"`;
    } else {
      const [lon, lat] = pointPosition(item as ExportNode | ExportSite);
      cells[column++] = formatNumber(lon);
      cells[column++] = formatNumber(lat);
      cells[column] = `"POINT (${formatNumber(lon)} ${formatNumber(lat)})"`;
    }
    lines[i + 1] = cells.join(',');
  }
  return BOM + lines.join(EOL) + EOL;
}

/** A table of plain values as CSV, the same way as the layers (RFC 4180, CRLF, UTF-8 with BOM, formula triggers neutralised). */
export function toCsvTable(header: readonly string[], rows: readonly (readonly ExportValue[])[]): string {
  const lines = [header.map(csvTextCell).join(','), ...rows.map((row) => row.map(csvCell).join(','))];
  return BOM + lines.join(EOL) + EOL;
}
