/**
 * The burn-up chart's arithmetic, pure (no I/O, no DOM): the plan out of the phases' target dates
 * and scope, and the history and the plan on one time axis, as uPlot wants its data.
 *
 * The plan: nothing at its start, then, for each target date in date order, everything in the
 * scope of the phases due by then (sites, metres of cable), on a straight line between them, and
 * level after the last target. It starts on 1 January of the first phase's budget year (TA) when
 * that is known, else on the first day recorded, else on the first target date itself. Phases
 * without a target date, and what no phase contracts, are not in it.
 */
import type { ProgressPoint } from '../../../../../libs/contract/src';

/** A phase as the plan needs it: its target date and budget year, and its scope (GET /api/phases/:id). */
export interface PlanPhase {
  id: string;
  code: string;
  name: string;
  /** YYYY-MM-DD, or null (not in the plan). */
  targetDate: string | null;
  budgetYear: number | null;
  sites: number;
  lengthM: number;
}

/** A corner of the plan line: everything due by `day`, cumulative. */
export interface PlanPoint {
  day: string;
  sites: number;
  lengthM: number;
  /** The phases due on that day (none at the start). */
  due: PlanPhase[];
}

/** Where the plan's start came from: the first phase's budget year, the first day recorded, or its target date. */
export type PlanStart = 'budget-year' | 'history' | 'target';

export interface Plan {
  points: PlanPoint[];
  startBasis: PlanStart | null;
  /** Phases left out for want of a target date. */
  undated: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_S = 86_400;

export const isDay = (value: string | null | undefined): value is string => typeof value === 'string' && DAY.test(value);

/** A calendar day as seconds since the epoch at its midnight UTC (uPlot's x; the chart draws in UTC). */
export function daySeconds(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 1000;
}

export function secondsDay(seconds: number): string {
  return new Date(Math.round(seconds / DAY_S) * DAY_S * 1000).toISOString().slice(0, 10);
}

/** The plan line through the phases' target dates; `firstDay` is the first day of the history, if any. */
export function planLine(phases: readonly PlanPhase[], firstDay: string | null): Plan {
  const dated = phases
    .filter((phase) => isDay(phase.targetDate))
    .sort((a, b) => (a.targetDate! < b.targetDate! ? -1 : a.targetDate! > b.targetDate! ? 1 : a.code.localeCompare(b.code)));
  const undated = phases.length - dated.length;
  if (dated.length === 0) return { points: [], startBasis: null, undated };
  const first = dated[0];
  const target = first.targetDate!;
  const budgetStart = first.budgetYear ? `${String(first.budgetYear).padStart(4, '0')}-01-01` : null;
  let start: string;
  let startBasis: PlanStart;
  if (budgetStart && budgetStart < target) [start, startBasis] = [budgetStart, 'budget-year'];
  else if (isDay(firstDay) && firstDay < target) [start, startBasis] = [firstDay, 'history'];
  else [start, startBasis] = [target, 'target'];

  const points: PlanPoint[] = [{ day: start, sites: 0, lengthM: 0, due: [] }];
  let sites = 0;
  let lengthM = 0;
  for (const phase of dated) {
    sites += phase.sites;
    lengthM += phase.lengthM;
    const last = points[points.length - 1];
    // Phases due on one day are one corner (and one due on the start day steps up at once).
    if (last.day === phase.targetDate && (last.due.length > 0 || startBasis === 'target')) {
      last.sites = sites;
      last.lengthM = lengthM;
      last.due.push(phase);
    } else {
      points.push({ day: phase.targetDate!, sites, lengthM, due: [phase] });
    }
  }
  return { points, startBasis, undated };
}

/** What the plan asks for by `day`: null before it starts, on the line between corners, level after the last. */
export function planAt(plan: Plan, day: string): { sites: number; lengthM: number } | null {
  const { points } = plan;
  if (points.length === 0 || day < points[0].day) return null;
  const x = daySeconds(day);
  for (let i = points.length - 1; i >= 0; i--) {
    const a = points[i];
    if (a.day > day) continue;
    const b = points[i + 1];
    if (!b) return { sites: a.sites, lengthM: a.lengthM };
    const share = (x - daySeconds(a.day)) / (daySeconds(b.day) - daySeconds(a.day));
    return { sites: a.sites + (b.sites - a.sites) * share, lengthM: a.lengthM + (b.lengthM - a.lengthM) * share };
  }
  return null;
}

/** The history's points, one a day (the last of a day wins), oldest first. */
export function byDay(points: readonly ProgressPoint[]): ProgressPoint[] {
  const days = new Map<string, ProgressPoint>();
  for (const point of points) if (isDay(point.day)) days.set(point.day, point);
  return [...days.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}

/**
 * The history and the plan on one axis: every day either has a point or a corner on. The history
 * is carried forward (a day missing had the figures of the day before: drawn as steps) from its
 * first day to its last (now), and is null outside; the plan is null before its start.
 */
export interface BurnupSeries {
  days: string[];
  /** Seconds (midnight UTC of each day). */
  x: number[];
  sitesConnected: (number | null)[];
  kmActive: (number | null)[];
  planSites: (number | null)[];
  planKm: (number | null)[];
}

export function burnupSeries(history: readonly ProgressPoint[], plan: Plan): BurnupSeries {
  const points = byDay(history);
  const days = [...new Set([...points.map((p) => p.day), ...plan.points.map((p) => p.day)])].sort();
  const series: BurnupSeries = { days, x: days.map(daySeconds), sitesConnected: [], kmActive: [], planSites: [], planKm: [] };
  const lastDay = points[points.length - 1]?.day ?? null;
  let next = 0;
  let standing: ProgressPoint | null = null;
  for (const day of days) {
    while (next < points.length && points[next].day <= day) standing = points[next++];
    const inHistory = standing !== null && lastDay !== null && day <= lastDay;
    series.sitesConnected.push(inHistory ? standing!.sitesConnected : null);
    series.kmActive.push(inHistory ? standing!.lengthActiveM / 1000 : null);
    const planned = planAt(plan, day);
    series.planSites.push(planned ? planned.sites : null);
    series.planKm.push(planned ? planned.lengthM / 1000 : null);
  }
  return series;
}
