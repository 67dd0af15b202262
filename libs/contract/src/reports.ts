/**
 * The rollout report a Diskominfo hands to the Bupati or the DPRD (GET /api/reports/progress.html
 * and .pdf): what it is made from, read once, so the HTML and the PDF say the same.
 */
import type { AreaGeometry } from './geojson';
import type { Milestone, ReviewVerdict } from './milestones';
import type { AreaProgress, AreaSavings } from './progress';

export interface ReportSite {
  code: string;
  name: string;
  kecamatanName: string | null;
  connected: boolean;
  /** When it went live (ISO 8601), null while not connected. */
  wentLiveAt: string | null;
  lon: number;
  lat: number;
}

export interface ReportMilestone {
  milestone: Milestone;
  lastReview: { verdict: ReviewVerdict; body: string; authorLabel: string; createdAt: string } | null;
}

export interface RolloutReport {
  regionName: string;
  /** When the figures were read (ISO 8601), and the zone the report's times are in. */
  generatedAt: string;
  timeZone: string;
  phase: { code: string; name: string } | null;
  region: AreaProgress;
  kecamatan: AreaProgress[];
  /** Each kecamatan's boundary, simplified for a page. */
  outlines: { code: string; name: string; geometry: AreaGeometry }[];
  /** The SOPD (agencies), by code. */
  sopd: ReportSite[];
  savings: { fiberCostShare: number; sopd: AreaSavings };
  milestones: ReportMilestone[];
  /** More than the report lists (it lists the first ones by target date). */
  milestonesTotal: number;
  passedDistanceM: number;
}
