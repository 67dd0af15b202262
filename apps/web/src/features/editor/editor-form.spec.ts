/** @jest-environment ./apps/web/jest-environment.cjs */
/**
 * The attribute form's rules without a page: how typed text is read (Indonesian number writing
 * included), what counts as my change, and how a 409's newer version is compared with mine and
 * merged for "mine on top".
 */
import { ApiError, type SegmentRecord } from '../../shared/api';
import { compareFields, changedFrom, fieldsOf, inputText, mineOnTop, parseInput, serverFieldProblems, valuesOf, type Conflict, type FieldSpec } from './editor-form';

const phases = [
  { id: 'p1', name: 'Tahap 1 (TA 2018)' },
  { id: 'p2', name: 'Tahap 2 (TA 2019)' },
];
const specs = fieldsOf('segment', () => phases);
const spec = (key: string): FieldSpec => specs.find((s) => s.key === key)!;

const segment = (over: Partial<SegmentRecord> = {}): SegmentRecord =>
  ({
    id: 's1',
    code: 'BB-004',
    fromNodeId: 'n1',
    toNodeId: 'n2',
    geometry: { type: 'LineString', coordinates: [] },
    lengthM: '1200.5',
    placement: 'aerial',
    tier: 'backbone',
    cableType: 'ADSS 24 core',
    coreCount: 24,
    status: 'in_construction',
    phaseId: 'p1',
    contractor: null,
    slackM: '12.5',
    version: 3,
    ...over,
  }) as SegmentRecord;

describe('reading what was typed', () => {
  it('reads Rupiah and whole numbers as Indonesians write them, and decimals with a comma', () => {
    expect(parseInput(spec('coreCount'), ' 48 ')).toEqual({ ok: true, value: 48 });
    expect(parseInput(spec('coreCount'), '1.000')).toEqual({ ok: true, value: 1000 });
    expect(parseInput(spec('slackM'), '12,5')).toEqual({ ok: true, value: 12.5 });
    expect(parseInput(spec('slackM'), '12.5')).toEqual({ ok: true, value: 12.5 });
    const cost = fieldsOf('site', () => phases).find((s) => s.key === 'costIdrPerMonth')!;
    expect(parseInput(cost, '7.000.000')).toEqual({ ok: true, value: 7_000_000 });
    // Shown back the way it is read.
    expect(inputText(cost, 7_000_000)).toBe('7.000.000');
    expect(inputText(spec('slackM'), 12.5)).toBe('12,5');
  });

  it("says what is wrong, in the reader's language, before anything is sent", () => {
    expect(parseInput(spec('coreCount'), '2,5')).toEqual({ ok: false, problem: 'Isi dengan angka.' });
    expect(parseInput(spec('coreCount'), '0')).toEqual({ ok: false, problem: expect.stringMatching(/^Harus antara 1 dan 10\.000/) });
    expect(parseInput(spec('coreCount'), 'dua')).toEqual({ ok: false, problem: 'Isi dengan angka.' });
    expect(parseInput(spec('code'), '')).toEqual({ ok: false, problem: 'Wajib diisi.' });
    expect(parseInput(spec('code'), '-BB 4')).toMatchObject({ ok: false, problem: expect.stringContaining('Kode hanya boleh') });
    expect(parseInput(spec('contractor'), 'x'.repeat(201))).toEqual({ ok: false, problem: 'Paling banyak 200 karakter.' });
    // An optional field left empty is null, not "".
    expect(parseInput(spec('contractor'), '   ')).toEqual({ ok: true, value: null });
  });
});

describe('what counts as my change', () => {
  it('compares stored values as the form reads them: numbers as numbers, empty as null', () => {
    const base = valuesOf(specs, segment());
    expect(base).toMatchObject({ code: 'BB-004', coreCount: 24, slackM: 12.5, contractor: null, phaseId: 'p1' });
    expect(changedFrom(specs, base, { ...base, slackM: 12.5, contractor: null })).toEqual({});
    expect(changedFrom(specs, base, { ...base, contractor: 'PT Borneo Serat', coreCount: 48 })).toEqual({ contractor: 'PT Borneo Serat', coreCount: 48 });
  });
});

describe('after a 409: their version beside mine', () => {
  const read = segment();
  const conflictWith = (theirs: Partial<SegmentRecord>, changes: Record<string, string | number | null>): Conflict => ({
    operation: 'update',
    theirs: segment({ ...theirs, version: 5 }),
    base: valuesOf(specs, read),
    changes,
  });

  it('names each field that either side changed, and whether we clash', () => {
    const conflict = conflictWith({ contractor: 'PT Sampit Jaya', coreCount: 48, cableType: 'ADSS 48 core' }, { contractor: 'PT Borneo Serat', coreCount: 48, slackM: 20 });
    const rows = compareFields(specs, conflict).map((row) => [row.spec.key, row.change, row.theirs, row.mine?.value ?? '(not mine)']);
    expect(rows).toEqual([
      ['cableType', 'theirs', 'ADSS 48 core', '(not mine)'],
      // Both changed it to the same value: no clash.
      ['coreCount', 'mine', 48, 48],
      ['contractor', 'clash', 'PT Sampit Jaya', 'PT Borneo Serat'],
      ['slackM', 'mine', 12.5, 20],
    ]);
  });

  it('"mine on top" sends only my fields that differ from theirs, and keeps their other changes', () => {
    const conflict = conflictWith({ contractor: 'PT Sampit Jaya', coreCount: 48 }, { contractor: 'PT Borneo Serat', coreCount: 48 });
    expect(mineOnTop(specs, conflict)).toEqual({ contractor: 'PT Borneo Serat' });
    // When theirs already holds everything I wanted, nothing is left to send.
    expect(mineOnTop(specs, conflictWith({ contractor: 'PT Borneo Serat' }, { contractor: 'PT Borneo Serat' }))).toEqual({});
  });

  it('a save that only moved the version on shows no field', () => {
    expect(compareFields(specs, conflictWith({}, { contractor: 'PT Borneo Serat' })).map((row) => row.change)).toEqual(['mine']);
    expect(compareFields(specs, conflictWith({}, {}))).toEqual([]);
  });
});

describe("the server's word on fields", () => {
  it("puts each named field's problem by its field and the rest in a list", () => {
    const error = new ApiError('/api/segments/s1', 400, 'http', {
      code: 'VALIDATION_FAILED',
      message: 'Isian tidak valid',
      details: [
        { field: 'coreCount', problem: 'Harus bilangan bulat' },
        { field: 'coreCount', problem: 'Terlalu besar' },
        { field: '', problem: 'Permintaan ganjil' },
      ],
    } as never);
    const { fields, rest } = serverFieldProblems(error);
    expect([...fields]).toEqual([['coreCount', 'Harus bilangan bulat']]);
    expect(rest).toEqual(['Jumlah core: Terlalu besar', 'Permintaan ganjil']);
  });
});
