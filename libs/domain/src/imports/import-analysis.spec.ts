import { ANALYSIS_LIMITS, ImportAnalysisBuilder } from './import-analysis';
import { mapFeature, type ImportMapping } from './import-mapping';

function analyse(rows: Record<string, string | number | null>[], mapping: ImportMapping = {}) {
  const builder = new ImportAnalysisBuilder();
  for (const properties of rows) builder.add(properties, mapFeature({ properties }, mapping));
  return builder.result(mapping);
}

describe('what a dry run tells about the properties of a file', () => {
  const contractor = [
    { NAMA_RUAS: 'Ruas Baamang 1', JML_CORE: '24', KONDISI: 'Sdh Terpasang', status: null },
    { NAMA_RUAS: 'Ruas Baamang 2', JML_CORE: '24', KONDISI: 'Blm Terpasang', status: '' },
    { NAMA_RUAS: 'Ruas Baamang 3', JML_CORE: '48', KONDISI: 'sdh terpasang', status: null },
    { NAMA_RUAS: 'Ruas Baamang 4', JML_CORE: '48', KONDISI: 'Rencana', status: null },
  ];

  it('lists the property names in file order, with how many features carry a value and up to three distinct samples', () => {
    const analysis = analyse(contractor);
    expect(analysis.properties).toEqual([
      { name: 'NAMA_RUAS', count: 4, samples: ['Ruas Baamang 1', 'Ruas Baamang 2', 'Ruas Baamang 3'] },
      { name: 'JML_CORE', count: 4, samples: ['24', '48'] },
      { name: 'KONDISI', count: 4, samples: ['Sdh Terpasang', 'Blm Terpasang', 'sdh terpasang'] },
    ]);
    expect(analysis.propertyCount).toBe(3);
  });

  it('says which property each field was read from, and which status words were not recognised (case-insensitively, most frequent first)', () => {
    const analysis = analyse(contractor);
    expect(analysis.fields.status).toEqual([{ property: 'KONDISI', count: 4 }]);
    // Nothing in the file has a default name for these: the planner has to choose.
    expect(analysis.fields.name).toEqual([]);
    expect(analysis.fields.coreCount).toEqual([]);
    expect(analysis.unrecognised.status).toEqual([
      { value: 'Sdh Terpasang', count: 2 },
      { value: 'Blm Terpasang', count: 1 },
    ]);
    expect(analysis.unrecognised.statusFeatures).toBe(3);

    const mapping: ImportMapping = { name: ['NAMA_RUAS'], coreCount: ['JML_CORE'], statusValues: { 'Sdh Terpasang': 'installed', 'Blm Terpasang': 'planned' } };
    const mapped = analyse(contractor, mapping);
    expect(mapped.fields.name).toEqual([{ property: 'NAMA_RUAS', count: 4 }]);
    expect(mapped.fields.coreCount).toEqual([{ property: 'JML_CORE', count: 4 }]);
    expect(mapped.unrecognised).toEqual({ status: [], placement: [], statusFeatures: 0, placementFeatures: 0 });
    expect(mapped.mapping).toBe(mapping);
  });

  it('counts unrecognised placement words too', () => {
    const analysis = analyse([{ penempatan: 'Tanam Langsung' }, { penempatan: 'Gantung' }, { penempatan: 'gantung' }]);
    expect(analysis.unrecognised.placement).toEqual([{ value: 'Gantung', count: 2 }]);
    expect(analysis.unrecognised.placementFeatures).toBe(2);
  });

  it('stays small whatever the file: names, samples and words are bounded and cut short', () => {
    const rows: Record<string, string>[] = [];
    for (let i = 0; i < 3000; i++) rows.push({ [`kolom_${i}`]: 'x'.repeat(500), keterangan: `catatan ${i} ${'y'.repeat(200)}`, status: `kata-${i}` });
    const analysis = analyse(rows);
    expect(analysis.properties.length).toBe(ANALYSIS_LIMITS.properties);
    // The common column is kept first among equals; the rest are cut at the bound of names tracked.
    expect(analysis.properties.find((p) => p.name === 'keterangan')?.count).toBe(3000);
    expect(analysis.propertyCount).toBe(ANALYSIS_LIMITS.trackedProperties);
    for (const p of analysis.properties) {
      expect(p.samples.length).toBeLessThanOrEqual(ANALYSIS_LIMITS.samples);
      for (const sample of p.samples) expect(sample.length).toBeLessThanOrEqual(ANALYSIS_LIMITS.sampleChars);
    }
    expect(analysis.unrecognised.status.length).toBe(ANALYSIS_LIMITS.words);
    expect(analysis.unrecognised.statusFeatures).toBe(3000);
    expect(JSON.stringify(analysis).length).toBeLessThan(60_000);
  });
});
