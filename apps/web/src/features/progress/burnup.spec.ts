/** The burn-up chart's plan and series: what the dashed line promises, and the steps of the history. */
import type { ProgressPoint } from '../../../../../libs/contract/src';
import { burnupSeries, planAt, planLine, type PlanPhase } from './burnup';
import { choroplethClass, CHOROPLETH_CLASSES } from './choropleth-scale';

const phase = (code: string, targetDate: string | null, sites: number, lengthM: number, budgetYear: number | null = null): PlanPhase => ({
  id: `id-${code}`,
  code,
  name: `Tahap ${code}`,
  targetDate,
  budgetYear,
  sites,
  lengthM,
});

const point = (day: string, sitesConnected: number, lengthActiveM: number, source: ProgressPoint['source'] = 'backfill'): ProgressPoint => ({
  day,
  source,
  sitesInScope: 60,
  sitesConnected,
  lengthInScopeM: 90_000,
  lengthActiveM,
  segments: [],
  sites: [],
});

describe('the plan line', () => {
  it('starts at nothing on 1 January of the first budget year and climbs to each phase’s scope, cumulative, in date order', () => {
    const plan = planLine([phase('2', '2020-12-31', 17, 60_000, 2019), phase('1', '2019-12-31', 36, 5_000, 2018), phase('3', null, 185, 0)], '2024-03-01');
    expect(plan.startBasis).toBe('budget-year');
    expect(plan.undated).toBe(1);
    expect(plan.points.map((p) => [p.day, p.sites, p.lengthM, p.due.map((d) => d.code)])).toEqual([
      ['2018-01-01', 0, 0, []],
      ['2019-12-31', 36, 5_000, ['1']],
      ['2020-12-31', 53, 65_000, ['2']],
    ]);
  });

  it('starts on the first day recorded when no budget year is known, and takes phases due on one day as one corner', () => {
    const plan = planLine([phase('a', '2025-06-30', 10, 1_000), phase('b', '2025-06-30', 5, 500), phase('c', '2025-12-31', 5, 2_000)], '2025-01-01');
    expect(plan.startBasis).toBe('history');
    expect(plan.points.map((p) => [p.day, p.sites, p.lengthM, p.due.length])).toEqual([
      ['2025-01-01', 0, 0, 0],
      ['2025-06-30', 15, 1_500, 2],
      ['2025-12-31', 20, 3_500, 1],
    ]);
  });

  it('starts at the first target date itself when nothing earlier is known (a step, not a slope from nowhere)', () => {
    const plan = planLine([phase('a', '2020-12-31', 10, 1_000), phase('b', '2021-12-31', 5, 500)], '2026-01-01');
    expect(plan.startBasis).toBe('target');
    expect(plan.points.map((p) => [p.day, p.sites])).toEqual([
      ['2020-12-31', 10],
      ['2021-12-31', 15],
    ]);
    expect(planAt(plan, '2020-12-30')).toBeNull();
  });

  it('is empty without a dated phase', () => {
    expect(planLine([phase('a', null, 10, 1_000)], '2025-01-01')).toEqual({ points: [], startBasis: null, undated: 1 });
    expect(planLine([], null)).toEqual({ points: [], startBasis: null, undated: 0 });
  });

  it('asks, between two corners, for the share of the way by days, and stays level after the last', () => {
    const plan = planLine([phase('a', '2025-01-11', 10, 1_000)], '2025-01-01');
    expect(planAt(plan, '2024-12-31')).toBeNull();
    expect(planAt(plan, '2025-01-01')).toEqual({ sites: 0, lengthM: 0 });
    expect(planAt(plan, '2025-01-06')).toEqual({ sites: 5, lengthM: 500 });
    expect(planAt(plan, '2030-01-01')).toEqual({ sites: 10, lengthM: 1_000 });
  });
});

describe('the series on one time axis', () => {
  it('carries the history forward over the days between points, and puts the plan on every day either has', () => {
    const plan = planLine([phase('a', '2025-01-11', 10, 10_000)], '2025-01-01');
    const series = burnupSeries([point('2025-01-01', 0, 0), point('2025-01-04', 2, 1_500), point('2025-01-21', 7, 8_000, 'live')], plan);
    expect(series.days).toEqual(['2025-01-01', '2025-01-04', '2025-01-11', '2025-01-21']);
    expect(series.x[0]).toBe(Date.UTC(2025, 0, 1) / 1000);
    // 11 January has no point of its own: it had the figures of the 4th.
    expect(series.sitesConnected).toEqual([0, 2, 2, 7]);
    expect(series.kmActive).toEqual([0, 1.5, 1.5, 8]);
    expect(series.planSites).toEqual([0, 3, 10, 10]);
    expect(series.planKm).toEqual([0, 3, 10, 10]);
  });

  it('leaves the history out before its first day and after now, where only the plan has corners', () => {
    const plan = planLine([phase('a', '2019-12-31', 36, 5_000, 2018), phase('b', '2030-12-31', 4, 1_000)], '2026-12-03');
    const series = burnupSeries([point('2026-12-03', 20, 3_000), point('2026-12-04', 21, 3_100, 'live')], plan);
    expect(series.days).toEqual(['2018-01-01', '2019-12-31', '2026-12-03', '2026-12-04', '2030-12-31']);
    expect(series.sitesConnected).toEqual([null, null, 20, 21, null]);
    expect(series.planSites[0]).toBe(0);
    expect(series.planSites[4]).toBe(40);
  });

  it('keeps the last point of a day when a day comes twice', () => {
    const series = burnupSeries([point('2025-01-01', 1, 0), point('2025-01-01', 3, 0, 'live')], planLine([], null));
    expect(series.days).toEqual(['2025-01-01']);
    expect(series.sitesConnected).toEqual([3]);
    expect(series.planSites).toEqual([null]);
  });
});

describe('the choropleth classes', () => {
  it('puts a percent in steps of 20 %, 100 % in the last, and nothing in scope in none', () => {
    expect(choroplethClass(0)).toBe(CHOROPLETH_CLASSES[0]);
    expect(choroplethClass(19.9)).toBe(CHOROPLETH_CLASSES[0]);
    expect(choroplethClass(20)).toBe(CHOROPLETH_CLASSES[1]);
    expect(choroplethClass(100)).toBe(CHOROPLETH_CLASSES[4]);
    expect(choroplethClass(null)).toBeNull();
  });
});
