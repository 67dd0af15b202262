import { TESTED_STATUSES, type MilestoneCriterion, type MilestoneEvaluation, type MilestoneForecast, type MilestoneState, type ProgressPoint } from '@serat/contract';
import type { SiteKind } from '@serat/vocabulary';

/** What a milestone measures, as stored. */
export interface MilestoneMeasure {
  criterion: MilestoneCriterion;
  /** Percent (sites_connected) or km (km_active); null for the others. */
  targetValue: number | null;
  siteKind: SiteKind | null;
  targetDate: string;
  manualDoneOn: string | null;
}

const DAY_MS = 86400000;

/** A calendar day (YYYY-MM-DD) moved by whole days. */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** The target in the criterion's unit: percent for every criterion but km_active (km). */
export function targetOf(measure: Pick<MilestoneMeasure, 'criterion' | 'targetValue'>): number {
  return measure.criterion === 'sites_connected' || measure.criterion === 'km_active' ? (measure.targetValue ?? 0) : 100;
}

/**
 * The criterion's figure on one day of the progress history: percent of the sites in scope
 * connected (of one kind, if named), km active, or percent of the segments in scope that passed
 * their test. Zero when nothing is in scope: there is nothing done to count.
 */
export function criterionValue(measure: Pick<MilestoneMeasure, 'criterion' | 'siteKind'>, point: ProgressPoint): number {
  switch (measure.criterion) {
    case 'sites_connected': {
      const kinds = measure.siteKind ? point.sites.filter((site) => site.kind === measure.siteKind) : point.sites;
      const inScope = kinds.reduce((sum, site) => sum + site.inScope, 0);
      const connected = kinds.reduce((sum, site) => sum + site.connected, 0);
      return inScope > 0 ? round((connected / inScope) * 100, 3) : 0;
    }
    case 'km_active':
      return round(point.lengthActiveM / 1000, 3);
    case 'segments_tested': {
      const inScope = point.segments.filter((figure) => figure.status !== 'decommissioned').reduce((sum, figure) => sum + figure.count, 0);
      const tested = point.segments.filter((figure) => TESTED_STATUSES.includes(figure.status)).reduce((sum, figure) => sum + figure.count, 0);
      return inScope > 0 ? round((tested / inScope) * 100, 3) : 0;
    }
    case 'manual':
      return 0;
  }
}

/**
 * Where a milestone stands on `today`, from the recorded days of its figures (oldest first, the
 * last one today's live figures) and the rate over the last `windowDays`:
 * - achieved on the first day the criterion was met (a manual one: the day a planner recorded);
 * - otherwise missed once the target date has passed;
 * - pending while nothing is done and nothing moved;
 * - on track when the value, moving on at the window's rate, meets the target by the target date;
 * - at risk when it would not, or nothing moved in the window.
 * A day missing between two recorded days had the figures of the day before it.
 */
export function evaluateMilestone(measure: MilestoneMeasure, points: readonly ProgressPoint[], today: string, windowDays: number): MilestoneEvaluation {
  const target = targetOf(measure);
  const unit = measure.criterion === 'km_active' ? 'km' : 'percent';
  if (measure.criterion === 'manual') {
    const done = measure.manualDoneOn !== null && measure.manualDoneOn <= today;
    const state: MilestoneState = done ? 'achieved' : today > measure.targetDate ? 'missed' : 'pending';
    return {
      value: done ? 100 : 0,
      target,
      unit,
      progressPercent: done ? 100 : 0,
      state,
      achievedOn: done ? measure.manualDoneOn : null,
      holdsNow: done,
      forecast: null,
      asOf: today,
    };
  }
  const series = points.filter((point) => point.day <= today).map((point) => ({ day: point.day, value: criterionValue(measure, point) }));
  const now = series.length > 0 ? series[series.length - 1].value : 0;
  const achievedOn = series.find((point) => point.value >= target)?.day ?? null;
  const progressPercent = target > 0 ? Math.min(100, round((now / target) * 100, 1)) : 0;
  const base = { value: now, target, unit, progressPercent, achievedOn, holdsNow: now >= target, asOf: today } as const;
  if (achievedOn !== null) return { ...base, state: 'achieved', forecast: null };

  const start = addDays(today, -windowDays);
  // The value standing at the window's start: the last day recorded on or before it (none: nothing yet).
  const then = [...series].reverse().find((point) => point.day <= start)?.value ?? 0;
  const ratePerDay = windowDays > 0 ? (now - then) / windowDays : 0;
  const forecast: MilestoneForecast = {
    method: 'linear_rate',
    windowDays,
    from: { day: start, value: then },
    to: { day: today, value: now },
    ratePerDay: round(ratePerDay, 6),
    date: ratePerDay > 0 ? addDays(today, Math.ceil((target - now) / ratePerDay)) : null,
  };
  let state: MilestoneState;
  if (today > measure.targetDate) state = 'missed';
  else if (now <= 0 && ratePerDay <= 0) state = 'pending';
  else if (forecast.date !== null && forecast.date <= measure.targetDate) state = 'on_track';
  else state = 'at_risk';
  return { ...base, state, forecast };
}
