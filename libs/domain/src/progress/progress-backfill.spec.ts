import { ALL_PHASES, BackfillSegment, DaySnapshot, earliestConnection, replayHistory, StatusEvent } from './progress-backfill';
import { percent, toProgressFigures } from './progress-figures';

describe('earliestConnection (when each node joined a NOC)', () => {
  const edge = (at: number, fromNodeId: string, toNodeId: string) => ({ at, fromNodeId, toNodeId });

  it('times a chain by the latest activation on the way, and leaves out what no NOC reaches', () => {
    const times = earliestConnection([edge(10, 'noc', 'a'), edge(5, 'a', 'b'), edge(3, 'x', 'y')], [{ at: 0, nodeId: 'noc' }]);
    expect(Object.fromEntries(times)).toEqual({ noc: 0, a: 10, b: 10 });
  });

  it('takes the earlier of two ways round a ring', () => {
    const times = earliestConnection([edge(20, 'noc', 'x'), edge(1, 'noc', 'y'), edge(2, 'y', 'x')], [{ at: 0, nodeId: 'noc' }]);
    expect(times.get('x')).toBe(2);
    expect(times.get('y')).toBe(1);
  });

  it('waits for a NOC that came up after its cables, and takes the nearer of two NOCs', () => {
    const times = earliestConnection(
      [edge(1, 'late', 'a'), edge(2, 'a', 'b'), edge(3, 'b', 'early'), edge(40, 'early', 'c')],
      [
        { at: 50, nodeId: 'late' },
        { at: 30, nodeId: 'early' },
      ],
    );
    expect(Object.fromEntries(times)).toEqual({ early: 30, b: 30, a: 30, late: 30, c: 40 });
  });
});

describe('replayHistory (the past worked out of the status history)', () => {
  const day = (iso: string) => Date.parse(iso);
  // A backbone across two kecamatan: 600 m in one, 400 m in the other, so 1,000 m in the kabupaten.
  const crossing: BackfillSegment = {
    id: 's1',
    phaseId: 'p1',
    shares: [
      { level: 'region', areaCode: '', lengthMm: 1_000_000 },
      { level: 'kecamatan', areaCode: '62.02.01', lengthMm: 600_000 },
      { level: 'kecamatan', areaCode: '62.02.02', lengthMm: 400_000 },
      { level: 'kabupaten', areaCode: '62.02', lengthMm: 1_000_000 },
    ],
  };
  const run = async (events: StatusEvent[], today: string) => {
    const days: DaySnapshot[][] = [];
    const result = await replayHistory({
      segments: new Map([['s1', crossing]]),
      nodes: new Map([['n1', { id: 'n1', kabupatenCode: '62.02', kecamatanCode: '62.02.01' }]]),
      sites: [
        {
          id: 'site1',
          kind: 'sopd',
          phaseId: 'p1',
          kabupatenCode: '62.02',
          kecamatanCode: '62.02.02',
          createdAt: day('2019-01-05T03:00:00Z'),
          connectedAt: day('2019-03-01T03:00:00Z'),
        },
      ],
      events: (async function* () {
        yield events;
      })(),
      timeZone: 'Asia/Jakarta',
      today,
      emit: async (snapshots) => void days.push(snapshots),
    });
    return { result, days };
  };
  const figuresOf = (snapshots: DaySnapshot[], level: string, areaCode: string, phaseKey = ALL_PHASES) =>
    snapshots.find((s) => s.level === level && s.areaCode === areaCode && s.phaseKey === phaseKey)?.figures;

  it('tells each day that changed, by the metres inside each kecamatan, under every phase and its own', async () => {
    const { result, days } = await run(
      [
        { at: day('2019-01-02T02:00:00Z'), subject: 'segment', id: 's1', status: 'planned' },
        { at: day('2019-01-02T03:00:00Z'), subject: 'node', id: 'n1', status: 'planned' },
        // 18:00 UTC is 01:00 the next day in WIB: the day it counts on is the 11th.
        { at: day('2019-02-10T18:00:00Z'), subject: 'segment', id: 's1', status: 'active' },
      ],
      '2026-12-03',
    );
    expect(days.map((snapshots) => snapshots[0].day)).toEqual(['2019-01-02', '2019-01-05', '2019-02-11', '2019-03-01']);
    expect(result).toEqual({ days: 4, rows: days.flat().length });
    const first = days[0];
    expect(figuresOf(first, 'kecamatan', '62.02.01')).toEqual([
      { subject: 'node', category: 'planned', items: 1, lengthMm: 0, connected: 0 },
      { subject: 'segment', category: 'planned', items: 1, lengthMm: 600_000, connected: 0 },
    ]);
    expect(figuresOf(first, 'kecamatan', '62.02.02', 'p1')).toEqual([{ subject: 'segment', category: 'planned', items: 1, lengthMm: 400_000, connected: 0 }]);
    const active = days[2];
    // Only what changed that day: the segment's areas, not the node's alone.
    expect(figuresOf(active, 'kabupaten', '62.02')).toEqual([
      { subject: 'node', category: 'planned', items: 1, lengthMm: 0, connected: 0 },
      { subject: 'segment', category: 'active', items: 1, lengthMm: 1_000_000, connected: 0 },
      { subject: 'site', category: 'sopd', items: 1, lengthMm: 0, connected: 0 },
    ]);
    expect(figuresOf(days[3], 'kecamatan', '62.02.02')).toEqual([
      { subject: 'segment', category: 'active', items: 1, lengthMm: 400_000, connected: 0 },
      { subject: 'site', category: 'sopd', items: 1, lengthMm: 0, connected: 1 },
    ]);
    expect(figuresOf(days[3], 'kecamatan', '62.02.01')).toBeUndefined();
  });

  it('stops before today (today is recorded live)', async () => {
    const { days } = await run([{ at: day('2019-01-02T02:00:00Z'), subject: 'segment', id: 's1', status: 'planned' }], '2019-01-05');
    expect(days.map((snapshots) => snapshots[0].day)).toEqual(['2019-01-02']);
  });
});

describe('progress figures', () => {
  it('counts percent complete by sites and by length, decommissioned cable out of scope', () => {
    const figures = toProgressFigures(
      [
        { subject: 'segment', category: 'active', items: 2, lengthMm: 1_500_000, connected: 0 },
        { subject: 'segment', category: 'planned', items: 1, lengthMm: 500_000, connected: 0 },
        { subject: 'segment', category: 'decommissioned', items: 1, lengthMm: 9_000_000, connected: 0 },
        { subject: 'site', category: 'sopd', items: 36, lengthMm: 0, connected: 27 },
        { subject: 'site', category: 'kantor_kecamatan', items: 17, lengthMm: 0, connected: 0 },
      ],
      new Map([['kantor_kecamatan', 4]]),
    );
    expect(figures).toMatchObject({ sitesInScope: 53, sitesConnected: 27, sitesPassed: 4, lengthInScopeM: 2000, lengthActiveM: 1500, percentByLength: 75, percentBySites: 50.9 });
    expect(figures.sites).toEqual([
      { kind: 'sopd', inScope: 36, connected: 27, passed: 0 },
      { kind: 'kantor_kecamatan', inScope: 17, connected: 0, passed: 4 },
    ]);
    expect(percent(0, 0)).toBeNull();
  });
});
