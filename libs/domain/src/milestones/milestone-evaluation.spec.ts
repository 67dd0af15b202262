import type { ProgressPoint } from '@serat/contract';
import { addDays, criterionValue, evaluateMilestone, MilestoneMeasure } from './milestone-evaluation';

/** A day of history with `connected` of `inScope` SOPD connected and `activeKm` of cable active. */
function point(day: string, connected: number, inScope = 36, activeKm = 0, tested = 0, segments = 10): ProgressPoint {
  return {
    day,
    source: 'backfill',
    sitesInScope: inScope,
    sitesConnected: connected,
    lengthInScopeM: 100000,
    lengthActiveM: activeKm * 1000,
    segments: [
      { status: 'tested', count: tested, lengthM: 0 },
      { status: 'installed', count: segments - tested, lengthM: 0 },
      { status: 'decommissioned', count: 3, lengthM: 0 },
    ],
    sites: [
      { kind: 'sopd', inScope, connected },
      { kind: 'kantor_kecamatan', inScope: 17, connected: 0 },
    ],
  };
}

const sopd: MilestoneMeasure = { criterion: 'sites_connected', targetValue: 100, siteKind: 'sopd', targetDate: '2019-12-31', manualDoneOn: null };

describe('milestone criteria', () => {
  it('counts the sites of the kind named, the km active and the segments tested (decommissioned ones out of scope)', () => {
    expect(criterionValue(sopd, point('2019-01-01', 9))).toBe(25);
    expect(criterionValue({ ...sopd, siteKind: null }, point('2019-01-01', 9))).toBeCloseTo((9 / 53) * 100, 2);
    expect(criterionValue({ criterion: 'km_active', siteKind: null }, point('2019-01-01', 0, 36, 12.5))).toBe(12.5);
    expect(criterionValue({ criterion: 'segments_tested', siteKind: null }, point('2019-01-01', 0, 36, 0, 4))).toBe(40);
    expect(criterionValue(sopd, point('2019-01-01', 0, 0))).toBe(0);
  });
});

describe('milestone forecast and state', () => {
  it('is on track when the last 30 days’ rate reaches the target by the target date, and shows its basis', () => {
    // 9 → 18 of 36 in 30 days: 25 points of percent a month; 50 to go takes 60 days.
    const points = [point('2019-01-01', 9), point('2019-02-10', 18)];
    const result = evaluateMilestone(sopd, points, '2019-02-10', 30);
    expect(result.state).toBe('on_track');
    expect(result.value).toBe(50);
    expect(result.progressPercent).toBe(50);
    expect(result.forecast).toEqual({
      method: 'linear_rate',
      windowDays: 30,
      from: { day: '2019-01-11', value: 25 },
      to: { day: '2019-02-10', value: 50 },
      ratePerDay: expect.closeTo(25 / 30, 5),
      date: '2019-04-11',
    });
  });

  it('is at risk when that rate would finish after the target date, or when nothing moved', () => {
    const slow = evaluateMilestone({ ...sopd, targetDate: '2019-03-01' }, [point('2019-01-01', 9), point('2019-02-10', 18)], '2019-02-10', 30);
    expect(slow.state).toBe('at_risk');
    expect(slow.forecast?.date).toBe('2019-04-11');
    const stalled = evaluateMilestone(sopd, [point('2018-06-01', 18)], '2019-02-10', 30);
    expect(stalled.state).toBe('at_risk');
    expect(stalled.forecast).toMatchObject({ ratePerDay: 0, date: null });
  });

  it('is pending while nothing is done, achieved on the first day it was met (also if it no longer holds), and missed after the target date', () => {
    expect(evaluateMilestone(sopd, [], '2019-02-10', 30).state).toBe('pending');
    const reached = evaluateMilestone(sopd, [point('2019-01-01', 30), point('2019-06-03', 36), point('2019-07-01', 35)], '2019-08-01', 30);
    expect(reached).toMatchObject({ state: 'achieved', achievedOn: '2019-06-03', holdsNow: false, forecast: null });
    const late = evaluateMilestone(sopd, [point('2019-01-01', 30)], '2020-01-01', 30);
    expect(late.state).toBe('missed');
    // The days after today (a history read ahead of its live point) do not count.
    expect(evaluateMilestone(sopd, [point('2019-01-01', 30), point('2019-03-01', 36)], '2019-02-01', 30).state).not.toBe('achieved');
  });

  it('a manual criterion is achieved on the day a planner recorded it, pending before, missed after its date', () => {
    const manual: MilestoneMeasure = { criterion: 'manual', targetValue: null, siteKind: null, targetDate: '2019-03-31', manualDoneOn: null };
    expect(evaluateMilestone(manual, [], '2019-02-01', 30)).toMatchObject({ state: 'pending', value: 0, forecast: null });
    expect(evaluateMilestone(manual, [], '2019-04-01', 30).state).toBe('missed');
    expect(evaluateMilestone({ ...manual, manualDoneOn: '2019-03-20' }, [], '2019-04-01', 30)).toMatchObject({ state: 'achieved', achievedOn: '2019-03-20', value: 100 });
  });

  it('moves calendar days across months and years', () => {
    expect(addDays('2019-12-31', 1)).toBe('2020-01-01');
    expect(addDays('2020-03-01', -1)).toBe('2020-02-29');
  });
});
