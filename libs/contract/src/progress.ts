/**
 * Rollout progress (issue 12): how far the rollout is, per area and phase, how it got there, and
 * what it saves. Every figure comes from the database's roll-ups of the network as it is now
 * (AreaRollups and RolloutProgress migrations), never from what a client downloaded.
 */
import type { AdminLevel, NetworkStatus, SiteKind } from '../../vocabulary/src/network-vocabulary';
import type { NodeStatusFigure, SegmentStatusFigure } from './map';

/** The areas progress is told for: the whole region, or each area of a level. */
export type ProgressLevel = 'region' | AdminLevel;

/** Sites of one kind in an area: those in scope (of the phase asked for, or all), connected, and passed. */
export interface SiteKindProgress {
  kind: SiteKind;
  inScope: number;
  connected: number;
  /** Not connected yet, within the passed distance of an active segment: the next to connect cheaply. */
  passed: number;
}

/**
 * How far an area is. A segment that crosses areas counts in each by the metres inside it;
 * decommissioned segments are out of scope. Percentages are null when nothing is in scope.
 */
export interface ProgressFigures {
  sites: SiteKindProgress[];
  sitesInScope: number;
  sitesConnected: number;
  sitesPassed: number;
  /** Segments per status (count, metres). */
  segments: SegmentStatusFigure[];
  /** Metres of segments in scope (every status but decommissioned) and of those active. */
  lengthInScopeM: number;
  lengthActiveM: number;
  nodes: NodeStatusFigure[];
  /** Sites connected of those in scope, 0–100. */
  percentBySites: number | null;
  /** Metres active of those in scope, 0–100. */
  percentByLength: number | null;
}

export interface AreaProgress extends ProgressFigures {
  /** '' for the region. */
  code: string;
  name: string;
  level: ProgressLevel;
  parentCode: string | null;
}

/** GET /api/progress?level=…[&parent=…][&phase=…]: the areas by code (every one, also those without a network); follow `next`. With an ETag. */
export interface ProgressPage {
  level: ProgressLevel;
  phaseId: string | null;
  /** The distance that makes a site "passed" (SERAT_PASSED_DISTANCE_M). */
  passedDistanceM: number;
  areas: AreaProgress[];
  numberReturned: number;
  next: string | null;
}

/** One day of the history: the figures as they stood at the end of that day (the region's time zone). */
export interface ProgressPoint {
  /** YYYY-MM-DD. */
  day: string;
  /** daily (the job), on_demand (someone asked), backfill (worked out of the status history), live (now, not stored). */
  source: 'daily' | 'on_demand' | 'backfill' | 'live';
  sitesInScope: number;
  sitesConnected: number;
  lengthInScopeM: number;
  lengthActiveM: number;
  segments: SegmentStatusFigure[];
  sites: { kind: SiteKind; inScope: number; connected: number }[];
}

/**
 * GET /api/progress/history?area=…[&phase=…][&from=…][&to=…]: the days on which the figures were
 * recorded, oldest first, and now as the last point. A day missing between two points had the
 * figures of the point before it (the back-fill records only the days something changed).
 */
export interface ProgressHistory {
  /** '' for the region. */
  area: string;
  level: 'region' | 'kabupaten' | 'kecamatan';
  phaseId: string | null;
  timeZone: string;
  points: ProgressPoint[];
  /** Relative URL of the next page (later days), or null. */
  next: string | null;
}

/** POST /api/progress/snapshots: today's figures recorded now (and the past worked out first, the first time). */
export interface SnapshotTaken {
  day: string;
  rows: number;
  backfill: { days: number; rows: number; nodesDated: number } | null;
}

/**
 * What an area's sites cost and save. The ISP bill is what the sites in scope paid for
 * commercial internet per month before fiber (sites.cost_idr_per_month); the fiber's running cost
 * is that bill times SERAT_FIBER_COST_SHARE; a connected site saves the difference from the day it
 * went live (its termination node joined a NOC by active segments). Whole Rupiah.
 */
export interface SavingsFigures {
  sitesInScope: number;
  /** Sites in scope with an ISP bill recorded. */
  sitesWithBill: number;
  sitesConnected: number;
  ispBillPerMonthIdr: number;
  ispBillPerYearIdr: number;
  /** The fiber's expected running cost of the connected sites, per month. */
  fiberCostPerMonthIdr: number;
  /** What the connected sites save per month now, and that times twelve. */
  savingPerMonthIdr: number;
  savingPerYearIdr: number;
  /** Saved since each connected site went live, to now (a month is 1/12 of 365.25 days). */
  savedToDateIdr: number;
  /** What every site in scope would save per year once connected. */
  potentialSavingPerYearIdr: number;
}

export interface AreaSavings extends SavingsFigures {
  code: string;
  name: string;
  level: ProgressLevel;
  parentCode: string | null;
}

/** GET /api/savings?level=…[&parent=…][&phase=…][&kind=…]. */
export interface SavingsPage {
  level: ProgressLevel;
  phaseId: string | null;
  kind: SiteKind | null;
  fiberCostShare: number;
  areas: AreaSavings[];
  numberReturned: number;
  next: string | null;
}

/** One site's savings (GET /api/savings/sites): the basis of an area's figures. */
export interface SiteSavings {
  id: string;
  code: string;
  name: string;
  kind: SiteKind;
  kecamatanCode: string | null;
  phaseId: string | null;
  ispBillPerMonthIdr: number | null;
  fiberCostPerMonthIdr: number | null;
  connected: boolean;
  /** When it went live (ISO 8601), or null while it is not connected. */
  wentLiveAt: string | null;
  savingPerMonthIdr: number;
  savedToDateIdr: number;
}

export interface SiteSavingsPage {
  fiberCostShare: number;
  sites: SiteSavings[];
  numberReturned: number;
  next: string | null;
}

/** A status as the progress figures count it: what is done (active) and what is out of scope. */
export const PROGRESS_DONE_STATUS: NetworkStatus = 'active';
export const PROGRESS_OUT_OF_SCOPE_STATUS: NetworkStatus = 'decommissioned';
