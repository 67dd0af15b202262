import { parse } from 'csv-parse/sync';
import { Geometry } from 'wkx';
import { parseImportFile } from '../import';
import { expectSamePositions, HOSTILE, NODES, SEGMENTS, SITES } from './export-fixtures.testing';
import { toCsv } from './index';
import { formatNumber } from './layer-fields';

function rows(csv: string): Record<string, string>[] {
  return parse(csv, { bom: true, columns: true }) as Record<string, string>[];
}

/** What a cell should read back as: empty for null, ' before a formula trigger in text only. */
function expectedCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  if (typeof value === 'number') return formatNumber(value);
  return String(value);
}

describe('toCsv', () => {
  it('starts with a UTF-8 BOM, ends lines with CRLF and has a header with a wkt column', () => {
    const csv = toCsv({ kind: 'segments', items: SEGMENTS.slice(0, 1) });
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.slice(1).split('\r\n')).toEqual([
      'id,code,fromNodeId,toNodeId,fromNodeCode,toNodeCode,status,placement,tier,cableType,coreCount,lengthM,phaseName,wkt',
      's-1,BB-001,n-1,n-2,NOC-SPT,ODC-MB-01,active,aerial,backbone,ADSS 48C,48,1523.456,Tahap 1,"LINESTRING (112.9493261 -2.5384013, 112.9550123 -2.5350456, 112.9612345 -2.5299876)"',
      '',
    ]);
    expect(toCsv({ kind: 'nodes', items: [] }).slice(1)).toBe('id,code,name,kind,status,owner,kecamatanCode,desaCode,lon,lat,wkt\r\n');
  });

  it.each([
    ['segments', SEGMENTS],
    ['nodes', NODES],
    ['sites', SITES],
  ] as const)('round-trips %s through csv-parse: same rows, same WKT', (kind, items) => {
    const parsed = rows(toCsv({ kind, items } as Parameters<typeof toCsv>[0]));
    expect(parsed).toHaveLength(items.length);
    parsed.forEach((row, index) => {
      const item = items[index] as unknown as Record<string, unknown>;
      for (const [field, value] of Object.entries(item)) {
        if (field === 'coordinates') continue;
        expect([field, row[field]]).toEqual([field, expectedCell(value)]);
      }
      const geometry = Geometry.parse(row.wkt).toGeoJSON() as { type: string; coordinates: number[] | number[][] };
      if (kind === 'segments') {
        expect(geometry.type).toBe('LineString');
        expectSamePositions(geometry.coordinates, item.coordinates as number[][]);
      } else {
        expect(geometry.type).toBe('Point');
        expectSamePositions([geometry.coordinates as number[]], [[item.lon as number, item.lat as number]]);
        expect(Number(row.lon)).toBe(item.lon);
        expect(Number(row.lat)).toBe(item.lat);
      }
    });
  });

  it('neutralises formulas in text but leaves negative numbers alone', () => {
    const parsed = rows(toCsv({ kind: 'nodes', items: NODES }));
    const hh = parsed.find((row) => row.id === 'n-6')!;
    expect(hh.name).toBe(`'${HOSTILE.formula}`);
    expect(hh.code).toBe("'-HH-3");
    expect(parsed[0].lat).toBe('-2.5384013');
    expect(hh.lat).toBe('0.0000001'); // never 1e-7
    const site = rows(toCsv({ kind: 'sites', items: SITES })).find((row) => row.id === 'st-3')!;
    expect(site.shortName).toBe("'@puskesmas");
    for (const trigger of ['=', '+', '-', '@', '\t', '\r']) {
      const [row] = rows(toCsv({ kind: 'nodes', items: [{ ...NODES[0], name: `${trigger}1+1` }] }));
      expect(row.name).toBe(`'${trigger}1+1`);
    }
  });

  it('quotes commas, quotes and line breaks, and keeps Indonesian text', () => {
    const parsed = rows(toCsv({ kind: 'segments', items: SEGMENTS }));
    expect(parsed.find((row) => row.id === 's-6')!.cableType).toBe(HOSTILE.quotes);
    expect(parsed.find((row) => row.id === 's-5')!.cableType).toBe(HOSTILE.indonesian);
  });

  it('is read back by the importer (WKT column, id as source id)', async () => {
    const parsed = await parseImportFile('ruas.csv', Buffer.from(toCsv({ kind: 'segments', items: SEGMENTS }), 'utf8'));
    expect(parsed.problems).toEqual([]);
    expect(parsed.features.map((f) => f.properties.code)).toEqual(SEGMENTS.map((s) => s.code.replace(/^-/, "'-")));
    parsed.features.forEach((f, i) => expectSamePositions((f.geometry as { coordinates: number[][] }).coordinates, SEGMENTS[i].coordinates));
  });
});
