import type { ImportedFeature, ImportProperties } from '@serat/geo';
import type { Geometry } from 'geojson';
import { ImportAnalysisBuilder } from './import-analysis';
import { importSource, RowSettings, rowsOfFile } from './import-rows';

const SETTINGS: RowSettings = {
  mapping: {},
  source: 'kontraktor',
  region: [112.0, -3.6, 113.6, -1.0],
  snapToleranceM: 10,
  defaults: { status: 'planned', placement: 'aerial', tier: 'distribution', nodeKind: 'joint_closure' },
};

const span = (x: number): Geometry => ({
  type: 'LineString',
  coordinates: [
    [x, -2.53],
    [x + 0.001, -2.531],
  ],
});

let next = 0;
function feature(properties: ImportProperties, geometry: Geometry, identity: Partial<Pick<ImportedFeature, 'sourceId' | 'positional' | 'folder'>> = {}): ImportedFeature {
  return { index: next++, sourceId: null, positional: false, folder: [], geometry, properties, ...identity };
}
const rows = (features: ImportedFeature[], settings: Partial<RowSettings> = {}) => rowsOfFile(features, { ...SETTINGS, ...settings });

describe('the rows of an imported file', () => {
  it('names the source after the file unless the options do', () => {
    expect(importSource('Kabel Tahap 1 (rev).kmz', undefined)).toBe('Kabel_Tahap_1__rev_');
    expect(importSource('.kmz', undefined)).toBe('import');
    expect(importSource('a.kmz', 'ka')).toBe('ka');
  });

  it("takes a code of the file's own, refers to the feature by its id, and fills in the defaults", () => {
    const [row] = rows([feature({ kode: 'R-1', cores: '24 core' }, span(112.9), { sourceId: 'kabel-001' })]);
    expect(row).toEqual(
      expect.objectContaining({
        kind: 'segment',
        action: 'create',
        code: 'R-1',
        ref: 'kontraktor:kabel-001',
        part: null,
        reasons: [],
        warnings: [],
        byShape: false,
        status: 'planned',
        coreCount: 24,
        placement: 'aerial',
        tier: 'distribution',
      }),
    );
    expect(row.given).toEqual({ status: null, name: null, coreCount: 24, cableType: null, placement: null, tier: null, nodeKind: null });
  });

  it('makes a code from the id, or from the shape when the id only says where the row stands', () => {
    const [byId] = rows([feature({}, span(112.9), { sourceId: 'kabel-001', folder: ['Tahap 1'] })]);
    expect([byId.code, byId.ref, byId.byShape]).toEqual(['kontraktor-Tahap_1-kabel-001', 'kontraktor:Tahap_1-kabel-001', false]);
    const [byLine] = rows([feature({}, span(112.9), { sourceId: '7', positional: true })]);
    expect(byLine.code).toMatch(/^kontraktor-[0-9a-f]{10}$/);
    expect(byLine.ref).toBe(`kontraktor:g${byLine.code.slice(-10)}`);
    expect(byLine.byShape).toBe(true);
    // The same shape on another line of a revised file is the same row.
    expect(rows([feature({}, span(112.9), { sourceId: '12', positional: true })])[0].code).toBe(byLine.code);
  });

  it('gives each part of a multi-line a row of its own', () => {
    const geometry: Geometry = {
      type: 'MultiLineString',
      coordinates: [
        [
          [112.9, -2.53],
          [112.901, -2.531],
        ],
        [
          [112.91, -2.53],
          [112.911, -2.531],
        ],
      ],
    };
    expect(rows([feature({ code: 'M' }, geometry, { sourceId: 'm' })]).map((r) => [r.code, r.ref, r.part])).toEqual([
      ['M.1', 'kontraktor:m#1', 0],
      ['M.2', 'kontraktor:m#2', 1],
    ]);
  });

  it('numbers the same shape repeated without codes or ids: the second is -2', () => {
    const [first, second, other] = rows([feature({}, span(112.9)), feature({}, span(112.9)), feature({}, span(112.95))]);
    expect(second.code).toBe(`${first.code}-2`);
    expect(second.ref).toBe(`${first.ref}~2`);
    expect(other.code).not.toMatch(/-2$/);
    expect([first, second, other].map((r) => r.action)).toEqual(['create', 'create', 'create']);
  });

  it('refuses a code used twice in the file on its later rows, per kind', () => {
    const point: Geometry = { type: 'Point', coordinates: [112.97, -2.55] };
    const result = rows([
      feature({ code: 'D-1' }, span(112.9), { sourceId: 'a' }),
      feature({ code: 'D-1' }, span(112.92), { sourceId: 'b' }),
      feature({ code: 'D-1' }, point, { sourceId: 'c' }),
    ]);
    expect(result.map((r) => [r.kind, r.action, r.reasons])).toEqual([
      ['segment', 'create', []],
      ['segment', 'reject', ['duplicate_code_in_file']],
      ['node', 'create', []],
    ]);
  });

  it('refuses a route whose ends would snap to one node, bad geometry, positions outside the region and text the api refuses', () => {
    const stub: Geometry = {
      type: 'LineString',
      coordinates: [
        [112.9, -2.53],
        [112.90005, -2.53],
      ],
    };
    const outside: Geometry = {
      type: 'LineString',
      coordinates: [
        [-0.2, 5.6],
        [-0.19, 5.61],
      ],
    };
    const polygon: Geometry = {
      type: 'Polygon',
      coordinates: [
        [
          [112.9, -2.5],
          [112.91, -2.5],
          [112.91, -2.51],
          [112.9, -2.5],
        ],
      ],
    };
    const result = rows([
      feature({ code: 'S' }, stub),
      feature({ code: 'O' }, outside),
      feature({ code: 'P' }, polygon),
      feature({ code: 'T', cable_type: 'ADSS\u0000' }, span(112.9)),
      feature({ code: 'N', name: 'x'.repeat(201) }, { type: 'Point', coordinates: [112.9, -2.53] }),
    ]);
    expect(result.map((r) => [r.code, r.action, r.reasons])).toEqual([
      ['S', 'reject', ['ends_within_snap_tolerance']],
      ['O', 'reject', ['outside_region']],
      ['P', 'reject', ['unsupported_geometry:Polygon']],
      ['T', 'reject', ['text_invalid_characters:cableType']],
      ['N', 'reject', ['name_too_long']],
    ]);
    // Without the region check the same route is taken.
    expect(rows([feature({ code: 'O' }, outside)], { region: null })[0].action).toBe('create');
  });

  it('warns of a status word it does not know, and tells the analysis what it read', () => {
    const analysis = new ImportAnalysisBuilder();
    const [row] = rowsOfFile([feature({ code: 'W', kondisi: 'Sdh Terpasang' }, span(112.9))], SETTINGS, analysis);
    expect(row.warnings).toEqual(['status_unmapped:Sdh Terpasang']);
    expect(row.status).toBe('planned');
    expect(analysis.result().unrecognised.status).toEqual([{ value: 'Sdh Terpasang', count: 1 }]);
    const [mapped] = rows([feature({ code: 'W', kondisi: 'Sdh Terpasang' }, span(112.9))], { mapping: { statusValues: { 'Sdh Terpasang': 'installed' } } });
    expect([mapped.status, mapped.given.status, mapped.warnings]).toEqual(['installed', 'installed', []]);
  });
});
