import { codeWithSuffix, fallbackCode, mapFeature, storedTextReasons } from './import-mapping';

describe('reading Serat fields from the properties of an imported feature', () => {
  it('finds the common property names in any case and translates status and placement words', () => {
    expect(mapFeature({ properties: { KODE: 'R-1', Kondisi: 'Terpasang', jumlah_core: '24 core', Penempatan: 'Tanam', jenis: 'ODP' } })).toEqual({
      code: 'R-1',
      name: null,
      status: 'installed',
      unknownStatus: null,
      coreCount: 24,
      cableType: null,
      placement: 'underground',
      unknownPlacement: null,
      nodeKind: 'odp',
      tier: null,
      // Where each value came from, as the file spells the property: what the planner sees in the mapping step.
      from: { code: 'KODE', name: null, status: 'Kondisi', coreCount: 'jumlah_core', cableType: null, placement: 'Penempatan', nodeKind: 'jenis' },
    });
  });

  it('uses the words and property names of a template, over the defaults', () => {
    const mapping = { code: ['kode_ruas'], status: ['kondisi'], statusValues: { Selesai: 'installed' as const } };
    expect(mapFeature({ properties: { kode_ruas: 'KA-1', kondisi: 'selesai' } }, mapping)).toEqual(expect.objectContaining({ code: 'KA-1', status: 'installed' }));
    expect(mapFeature({ properties: { kode_ruas: 'KA-2', kondisi: 'rencana' } }, mapping)).toEqual(expect.objectContaining({ code: 'KA-2', status: 'planned' }));
  });

  it('reports a status word it does not know, and never takes a word for a property of Object', () => {
    expect(mapFeature({ properties: { status: 'constructor', placement: 'toString', kind: '__proto__' } })).toEqual(
      expect.objectContaining({ status: null, unknownStatus: 'constructor', placement: null, unknownPlacement: 'toString', nodeKind: null }),
    );
  });

  it('reads a field from the named property only, or from none with an empty list', () => {
    const properties = { name: 'Ruas lama', NAMA_RUAS: 'Ruas Baamang 2', type: 'ADSS', KONDISI: 'Sdh Terpasang' };
    const mapped = mapFeature({ properties }, { name: ['NAMA_RUAS'], nodeKind: [], statusValues: { 'sdh terpasang': 'installed' } });
    expect(mapped).toEqual(expect.objectContaining({ name: 'Ruas Baamang 2', nodeKind: null, status: 'installed', unknownStatus: null }));
    expect(mapped.from).toEqual(expect.objectContaining({ name: 'NAMA_RUAS', nodeKind: null, status: 'KONDISI' }));
  });
});

describe('text an imported feature would store', () => {
  it("follows the rules of the api's forms: a node's name at most 200 characters, a segment's cable type 120, nothing PostgreSQL cannot store", () => {
    const fields = (name: string | null, cableType: string | null) => ({ name, cableType });
    expect(storedTextReasons('node', fields('n'.repeat(200), null))).toEqual([]);
    expect(storedTextReasons('node', fields('n'.repeat(100000), null))).toEqual(['name_too_long']);
    expect(storedTextReasons('node', fields('Tiang\u0000A', null))).toEqual(['text_invalid_characters:name']);
    expect(storedTextReasons('node', fields('ODP \udc00', null))).toEqual(['text_invalid_characters:name']);
    expect(storedTextReasons('segment', fields(null, 'c'.repeat(121)))).toEqual(['cable_type_too_long']);
    expect(storedTextReasons('segment', fields(null, 'ADSS\u0000'))).toEqual(['text_invalid_characters:cableType']);
    // What a kind does not store is not its concern: a segment has no name, a node no cable type.
    expect(storedTextReasons('segment', fields('n'.repeat(100000), 'ADSS'))).toEqual([]);
    expect(storedTextReasons('node', fields('ODP', 'ADSS\u0000'))).toEqual([]);
  });
});

describe('codes made for features without one', () => {
  const longPrefix = `${'kontraktor_kabupaten_kotawaringin_timur'.padEnd(40, 'x')}-${'Kabel Feeder Kecamatan Baamang'.replace(/ /g, '_')}`;

  it('keep a short prefix and id as they were', () => {
    expect(fallbackCode('sle-Lines', 'kabel 7', null)).toBe('sle-Lines-kabel_7');
    expect(fallbackCode('sle', 'kabel-7', 1)).toBe('sle-kabel-7.2');
  });

  it('never cut the identity: the prefix is shortened so that prefix, id, part and suffix fit 60 characters', () => {
    const codes = ['kabel-001', 'kabel-002'].map((id) => fallbackCode(longPrefix, id, null));
    expect(codes[0]).not.toBe(codes[1]);
    expect(codes[0]).toMatch(/^kontraktor_.*-kabel-001$/);
    const parts = [0, 1].map((part) => fallbackCode(longPrefix, 'kabel-001', part));
    expect(parts).toEqual([expect.stringMatching(/-kabel-001\.1$/), expect.stringMatching(/-kabel-001\.2$/)]);
    const repeated = fallbackCode(longPrefix, '0123456789', null, '-2');
    expect(repeated).toMatch(/-0123456789-2$/);
    for (const code of [...codes, ...parts, repeated]) expect(code.length).toBeLessThanOrEqual(60);
  });

  it('stand for a long id by a hash of all of it', () => {
    const ids = [`${'a'.repeat(45)}1`, `${'a'.repeat(45)}2`];
    const codes = ids.map((id) => fallbackCode('src', id, null));
    expect(codes[0]).not.toBe(codes[1]);
    expect(codes).toEqual([expect.stringMatching(/^src-[0-9a-f]{10}$/), expect.stringMatching(/^src-[0-9a-f]{10}$/)]);
    expect(fallbackCode('src', ids[0], null)).toBe(codes[0]);
    expect(fallbackCode(longPrefix, ids[0], 3, '-12').length).toBeLessThanOrEqual(60);
  });

  it("with a suffix (a segment end's node) stay within 60 characters and apart", () => {
    expect(codeWithSuffix('KA-1', '-A')).toBe('KA-1-A');
    const long = ['x'.repeat(59) + '1', 'x'.repeat(59) + '2'].map((code) => codeWithSuffix(code, '-A'));
    expect(long[0]).not.toBe(long[1]);
    for (const code of long) expect(code).toMatch(/^x{47}-[0-9a-f]{10}-A$/);
  });
});
