import type { LineString, Point, Position } from 'geojson';
import { ExistingRow, fieldsForCreate, GivenFields, keysToLoad, PlanDefaults, PlanItem, planImport, renamedAway } from './import-plan';

const DEFAULTS: PlanDefaults = { status: 'planned', placement: 'aerial', tier: 'distribution', nodeKind: 'joint_closure' };
const SETTINGS = { defaults: DEFAULTS, snapToleranceM: 10 };
const NOTHING_GIVEN: GivenFields = { status: null, name: null, coreCount: null, cableType: null, placement: null, tier: null, nodeKind: null };

const ROUTE: Position[] = [
  [112.95, -2.53],
  [112.951, -2.5305],
  [112.952, -2.531],
];
const line = (coordinates: Position[] = ROUTE): LineString => ({ type: 'LineString', coordinates });
const point = (coordinates: Position = [112.96, -2.54]): Point => ({ type: 'Point', coordinates });

let index = 0;
/** A row of the file as import-rows gives it: to be created, unless refused. */
function segmentRow(code: string, ref: string, given: Partial<GivenFields> = {}, geometry = line()): PlanItem {
  const all = { ...NOTHING_GIVEN, ...given };
  return {
    index: index++,
    sourceId: ref,
    byShape: false,
    part: null,
    kind: 'segment',
    action: 'create',
    code,
    ref: `f:${ref}`,
    reasons: [],
    warnings: [],
    geometry,
    given: all,
    ...fieldsForCreate(all, DEFAULTS),
  };
}
function nodeRow(code: string, ref: string, given: Partial<GivenFields> = {}, geometry = point()): PlanItem {
  return { ...segmentRow(code, ref, given), kind: 'node', geometry };
}

/** A stored segment as ImportsRepository.existing gives it. */
function storedSegment(id: string, code: string, ref: string | null, fields: Partial<ExistingRow> = {}): ExistingRow {
  return {
    id,
    code,
    externalRef: ref === null ? null : `f:${ref}`,
    version: 3,
    geometry: line(),
    status: 'planned',
    coreCount: null,
    cableType: null,
    placement: 'aerial',
    tier: 'distribution',
    ...fields,
  };
}
function storedNode(id: string, code: string, ref: string | null, fields: Partial<ExistingRow> = {}): ExistingRow {
  return { id, code, externalRef: ref === null ? null : `f:${ref}`, version: 1, geometry: point(), status: 'planned', kind: 'joint_closure', name: null, ...fields };
}

const plan = (rows: PlanItem[], segments: ExistingRow[] = [], nodes: ExistingRow[] = []) => planImport(rows, { segment: segments, node: nodes }, SETTINGS);
const decisions = (items: PlanItem[]) => items.map((i) => [i.code, i.action, i.reasons, i.warnings]);

describe('the matching planner of an import', () => {
  it('creates what matches no stored row, with the defaults for what the file does not give', () => {
    const [created] = plan([segmentRow('R-1', 'a', { coreCount: 24, tier: 'backbone' })]);
    expect(created).toEqual(expect.objectContaining({ action: 'create', status: 'planned', coreCount: 24, tier: 'backbone', placement: 'aerial', cableType: null }));
    expect(created.existingId).toBeUndefined();
  });

  it('asks for the codes and references of the rows still to be taken, per kind', () => {
    const refused = { ...segmentRow('R-9', 'z'), action: 'reject' as const, reasons: ['self_intersection'] };
    const rows = [segmentRow('R-1', 'a'), refused, nodeRow('N-1', 'n')];
    expect(keysToLoad(rows, 'segment')).toEqual({ codes: ['R-1'], refs: ['f:a'] });
    expect(keysToLoad(rows, 'node')).toEqual({ codes: ['N-1'], refs: ['f:n'] });
  });

  it('leaves a row refused before matching as it was, and never matches it', () => {
    const refused = { ...segmentRow('R-1', 'a'), action: 'reject' as const, reasons: ['outside_region'] };
    const [item] = plan([refused], [storedSegment('s1', 'R-1', 'a')]);
    expect(decisions([item])).toEqual([['R-1', 'reject', ['outside_region'], []]]);
    expect(item.existingId).toBeUndefined();
  });

  it('updates the row with its reference, keeping the stored values the file does not give', () => {
    const stored = storedSegment('s1', 'R-1', 'a', { status: 'installed', coreCount: 48, cableType: 'ADSS', placement: 'underground', tier: 'backbone' });
    const [item] = plan([segmentRow('R-1', 'a', { coreCount: 96 })], [stored]);
    expect(item).toEqual(
      expect.objectContaining({
        action: 'update',
        existingId: 's1',
        existingCode: 'R-1',
        status: 'installed',
        coreCount: 96,
        cableType: 'ADSS',
        placement: 'underground',
        tier: 'backbone',
      }),
    );
  });

  it('is unchanged when nothing it would write differs: ends within the snapping tolerance, inner positions to 2e-7°', () => {
    const snappedEnds = [[112.95003, -2.53], ROUTE[1], [112.952, -2.53103]];
    const stored = storedSegment('s1', 'R-1', 'a', { geometry: line(snappedEnds) });
    expect(plan([segmentRow('R-1', 'a')], [stored])[0].action).toBe('unchanged');
    // An end beyond the tolerance (about 22 m) or an inner position moved by 3e-7° is written.
    const farEnd = storedSegment('s1', 'R-1', 'a', { geometry: line([[112.9502, -2.53], ROUTE[1], ROUTE[2]]) });
    expect(plan([segmentRow('R-1', 'a')], [farEnd])[0].action).toBe('update');
    const innerMoved = storedSegment('s1', 'R-1', 'a', { geometry: line([ROUTE[0], [112.9510003, -2.5305], ROUTE[2]]) });
    expect(plan([segmentRow('R-1', 'a')], [innerMoved])[0].action).toBe('update');
    const otherVertexCount = storedSegment('s1', 'R-1', 'a', { geometry: line([ROUTE[0], ROUTE[2]]) });
    expect(plan([segmentRow('R-1', 'a')], [otherVertexCount])[0].action).toBe('update');
    expect(plan([segmentRow('R-1', 'a', { placement: 'duct' })], [stored])[0].action).toBe('update');
  });

  it('compares a node by kind, name and position to the centimetre', () => {
    const stored = storedNode('n1', 'N-1', 'n', { kind: 'odp', name: 'ODP Baamang' });
    expect(plan([nodeRow('N-1', 'n')], [], [stored])[0]).toEqual(expect.objectContaining({ action: 'unchanged', nodeKind: 'odp', name: 'ODP Baamang' }));
    expect(plan([nodeRow('N-1', 'n', {}, point([112.96, -2.54000005]))], [], [stored])[0].action).toBe('unchanged');
    expect(plan([nodeRow('N-1', 'n', {}, point([112.96, -2.540001]))], [], [stored])[0].action).toBe('update');
    expect(plan([nodeRow('N-1', 'n', { nodeKind: 'odc' })], [], [stored])[0].action).toBe('update');
    expect(plan([nodeRow('N-1', 'n', { name: 'ODP Baru' })], [], [stored])[0].action).toBe('update');
  });

  it('matches by code a row no reference claims', () => {
    const [same] = plan([segmentRow('R-1', 'new-ref')], [storedSegment('s1', 'R-1', null)]);
    expect(same).toEqual(expect.objectContaining({ action: 'unchanged', existingId: 's1' }));
    const [item] = plan([segmentRow('R-1', 'new-ref', { coreCount: 12 })], [storedSegment('s1', 'R-1', 'other-ref')]);
    expect(item).toEqual(expect.objectContaining({ action: 'update', existingId: 's1', coreCount: 12 }));
  });

  it('applies a status the lifecycle reaches from the stored one (planned → active, stages skipped)', () => {
    const [item] = plan([segmentRow('R-1', 'a', { status: 'active' })], [storedSegment('s1', 'R-1', 'a')]);
    expect(decisions([item])).toEqual([['R-1', 'update', [], []]]);
    expect(item.status).toBe('active');
  });

  it('keeps a status the file would move backwards, with a warning, and still applies the rest', () => {
    const stored = storedSegment('s1', 'R-1', 'a', { status: 'active', coreCount: 12 });
    const [item] = plan([segmentRow('R-1', 'a', { status: 'planned', coreCount: 24 })], [stored]);
    expect(decisions([item])).toEqual([['R-1', 'update', [], ['status_kept_backwards:active→planned']]]);
    expect(item).toEqual(expect.objectContaining({ status: 'active', coreCount: 24 }));
    // With only the status differing there is nothing to write; the warning stays.
    const [same] = plan([segmentRow('R-1', 'a', { status: 'planned', coreCount: 12 })], [stored]);
    expect(decisions([same])).toEqual([['R-1', 'unchanged', [], ['status_kept_backwards:active→planned']]]);
    // A move the lifecycle forbids, and one it wants a reason for, are kept as well.
    const decommissioned = storedSegment('s1', 'R-1', 'a', { status: 'decommissioned' });
    expect(plan([segmentRow('R-1', 'a', { status: 'active' })], [decommissioned])[0].warnings).toEqual(['status_kept_not_allowed:decommissioned→active']);
    expect(plan([segmentRow('R-1', 'a', { status: 'decommissioned' })], [stored])[0].warnings).toEqual(['status_kept_needs_reason:active→decommissioned']);
  });

  it('lets one feature match a row: by reference first, then by code among the rows left; the second is refused', () => {
    // "z" carries the code of the row of "a", and "a" renames it: "z" would have swallowed it.
    const items = plan([segmentRow('SW-1', 'z'), segmentRow('SW-3', 'a')], [storedSegment('s1', 'SW-1', 'a'), storedSegment('s2', 'SW-2', 'b')]);
    expect(decisions(items)).toEqual([
      ['SW-1', 'reject', ['matches_row_of_another_feature'], []],
      ['SW-3', 'update', [], []],
    ]);
    expect(items[1].existingId).toBe('s1');
  });

  it('refuses a code another row keeps, and allows codes swapped within the file', () => {
    const stored = [storedSegment('s1', 'SW-3', 'a'), storedSegment('s2', 'SW-2', 'b')];
    expect(decisions(plan([segmentRow('SW-2', 'a')], stored))).toEqual([['SW-2', 'reject', ['code_in_use'], []]]);
    const swap = plan([segmentRow('SW-2', 'a'), segmentRow('SW-3', 'b')], stored);
    expect(decisions(swap)).toEqual([
      ['SW-2', 'update', [], []],
      ['SW-3', 'update', [], []],
    ]);
    // Both give up their codes before either is written.
    expect(renamedAway(swap, 'segment').map((i) => i.existingId)).toEqual(['s1', 's2']);
    expect(renamedAway(swap, 'node')).toEqual([]);
  });

  it('refuses a code whose row another feature renames, when that feature is refused after all', () => {
    // "d" renames its row to X, the code of the row of "a"; "a" would rename that row to Y, which
    // a third row keeps: "a" is refused, its row keeps X, and so "d" is refused too.
    const stored = [storedSegment('s1', 'X', 'a'), storedSegment('s3', 'Y', 'c'), storedSegment('s4', 'D', 'd')];
    const items = plan([segmentRow('X', 'd'), segmentRow('Y', 'a')], stored);
    expect(decisions(items)).toEqual([
      ['X', 'reject', ['code_in_use'], []],
      ['Y', 'reject', ['code_in_use'], []],
    ]);
  });

  it('keeps segments and nodes apart: the same code may name one of each', () => {
    const items = plan([segmentRow('K-1', 'a'), nodeRow('K-1', 'a')], [storedSegment('s1', 'K-1', 'a')], []);
    expect(items.map((i) => [i.kind, i.action])).toEqual([
      ['segment', 'unchanged'],
      ['node', 'create'],
    ]);
  });

  it('leaves the rows it is given as they were', () => {
    const rows = [segmentRow('SW-1', 'z'), segmentRow('SW-3', 'a', { status: 'planned' })];
    const copy = JSON.parse(JSON.stringify(rows));
    const items = plan(rows, [storedSegment('s1', 'SW-1', 'a', { status: 'active' })]);
    expect(JSON.parse(JSON.stringify(rows))).toEqual(copy);
    expect(items[0]).not.toBe(rows[0]);
    expect(items[1].warnings).toEqual(['status_kept_backwards:active→planned']);
  });
});
