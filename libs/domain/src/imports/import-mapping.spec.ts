import { mapFeature } from './import-mapping';

describe('reading Serat fields from the properties of an imported feature', () => {
  it('finds the common property names in any case and translates status and placement words', () => {
    expect(mapFeature({ properties: { KODE: 'R-1', Kondisi: 'Terpasang', jumlah_core: '24 core', Penempatan: 'Tanam', jenis: 'ODP' } })).toEqual({
      code: 'R-1', name: null, status: 'installed', unknownStatus: null, coreCount: 24, cableType: null, placement: 'underground', unknownPlacement: null, nodeKind: 'odp', tier: null,
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
