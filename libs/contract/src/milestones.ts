/**
 * Milestones and their review (issue 12): checkable goals with a target date, their progress and
 * forecast worked out of the progress history, the evidence behind them, and the review thread
 * between ITS mentors and Diskominfo planners.
 */
import type { NetworkStatus, SiteKind } from '../../vocabulary/src/network-vocabulary';

/** The stages a rollout goes through, in order. */
export const MILESTONE_CATEGORIES = ['survey', 'permits', 'construction', 'splicing', 'testing', 'handover'] as const;
export type MilestoneCategory = (typeof MILESTONE_CATEGORIES)[number];

/**
 * What Serat checks: N % of the sites of a phase connected, km active in an area ≥ Z, every
 * segment of a phase tested (tested, active, or damaged since), or a manual criterion a planner
 * records done with evidence attached.
 */
export const MILESTONE_CRITERIA = ['sites_connected', 'km_active', 'segments_tested', 'manual'] as const;
export type MilestoneCriterion = (typeof MILESTONE_CRITERIA)[number];

/** Statuses a segment counts as tested in: it passed its test, whatever happened after. */
export const TESTED_STATUSES: readonly NetworkStatus[] = ['tested', 'active', 'damaged'];

/**
 * pending: nothing done yet; on_track: the forecast meets the target date; at_risk: it does not,
 * or there is no forecast (no progress in the window); achieved: the criterion was met (on
 * `achievedOn`); missed: the target date passed without it.
 */
export const MILESTONE_STATES = ['pending', 'on_track', 'at_risk', 'achieved', 'missed'] as const;
export type MilestoneState = (typeof MILESTONE_STATES)[number];

/** The evidence a milestone can require of every segment in its scope. */
export const MILESTONE_EVIDENCE_KINDS = ['photo', 'gps', 'otdr'] as const;
export type MilestoneEvidenceKind = (typeof MILESTONE_EVIDENCE_KINDS)[number];

/** What a stage asks of each segment by default (a planner may name others). */
export const DEFAULT_MILESTONE_EVIDENCE: Record<MilestoneCategory, MilestoneEvidenceKind[]> = {
  survey: ['gps'],
  permits: [],
  construction: ['photo', 'gps'],
  splicing: ['photo'],
  testing: ['otdr'],
  handover: ['photo'],
};

export const REVIEW_VERDICTS = ['approve', 'request_changes'] as const;
export type ReviewVerdict = (typeof REVIEW_VERDICTS)[number];

/**
 * Where the thread stands: none (nobody wrote yet), awaiting_review (a planner wrote last),
 * changes_requested (a mentor asked for changes: the planners' turn), approved.
 */
export type ReviewStatus = 'none' | 'awaiting_review' | 'changes_requested' | 'approved';

/** How the completion date was forecast: the rate over the last days, carried forward in a straight line. */
export interface MilestoneForecast {
  method: 'linear_rate';
  windowDays: number;
  from: { day: string; value: number };
  to: { day: string; value: number };
  /** Units of the criterion per day over the window (0 when nothing moved). */
  ratePerDay: number;
  /** When the target would be met at that rate, or null when the rate is nil. */
  date: string | null;
}

export interface MilestoneEvaluation {
  /** The criterion's figure now: percent (sites_connected, segments_tested, manual) or km (km_active). */
  value: number;
  target: number;
  unit: 'percent' | 'km';
  /** value ÷ target, 0–100. */
  progressPercent: number;
  state: MilestoneState;
  /** The first day the criterion was met (the region's time zone), or null. */
  achievedOn: string | null;
  /** Whether it still holds (a segment damaged since can undo it). */
  holdsNow: boolean;
  /** Null when achieved, for manual criteria, and with nothing in scope. */
  forecast: MilestoneForecast | null;
  /** The day it was worked out for (the region's today). */
  asOf: string;
}

export interface Milestone {
  id: string;
  code: string;
  title: string;
  description: string | null;
  category: MilestoneCategory;
  phaseId: string | null;
  phaseCode: string | null;
  areaCode: string | null;
  areaName: string | null;
  /** YYYY-MM-DD. */
  targetDate: string;
  criterion: MilestoneCriterion;
  /** Percent of sites (sites_connected) or km (km_active); null otherwise. */
  targetValue: number | null;
  siteKind: SiteKind | null;
  requiredEvidence: MilestoneEvidenceKind[];
  manualDoneOn: string | null;
  manualNote: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  evaluation: MilestoneEvaluation;
  review: { status: ReviewStatus; lastEntryAt: string | null; entries: number };
}

/** GET /api/milestones[?phase][&awaiting=review|answer][&state]: by target date, then code; follow `next`. */
export interface MilestonesPage {
  milestones: Milestone[];
  numberReturned: number;
  next: string | null;
}

/** What the evidence of a milestone's scope lacks: for each kind it requires, the segments without it. */
export interface MilestoneEvidenceStatus {
  required: MilestoneEvidenceKind[];
  /** Segments in scope (of the phase, or active in the area for km_active). */
  segmentsInScope: number;
  missing: { kind: MilestoneEvidenceKind; segments: number }[];
  /** Photos attached to the milestone itself (what a manual criterion stands on). */
  attachedPhotos: number;
  /** Whether an approval may be given on this evidence. */
  complete: boolean;
}

/** GET /api/milestones/:id: the milestone with its evidence status. */
export interface MilestoneDetail extends Milestone {
  evidence: MilestoneEvidenceStatus;
  /** Photos attached to the milestone (ids, for /api/photos/:id). */
  photos: { id: string; takenAt: string | null; attachedAt: string }[];
}

/** One segment in a milestone's scope with the evidence its history holds (GET /api/milestones/:id/evidence). */
export interface MilestoneEvidenceItem {
  segmentId: string;
  code: string;
  contractor: string | null;
  status: NetworkStatus;
  lengthM: number;
  photos: number;
  gps: boolean;
  /** The latest OTDR reading on its history, or null. */
  otdr: { lossDb: number; lengthM: number | null; wavelengthNm: number | null; at: string } | null;
  missing: MilestoneEvidenceKind[];
}

export interface MilestoneEvidencePage {
  items: MilestoneEvidenceItem[];
  numberReturned: number;
  next: string | null;
}

/** One entry of the review thread; never edited. */
export interface MilestoneThreadEntry {
  id: string;
  kind: 'review' | 'reply';
  verdict: ReviewVerdict | null;
  body: string;
  authorId: string;
  authorLabel: string;
  /** A review: the review it supersedes; a reply: the review it answers. */
  refersTo: string | null;
  /** A review superseded by a later one: that one's id. */
  supersededBy: string | null;
  /** A review: the milestone as the mentor saw it. */
  atState: { state: MilestoneState; value: number; target: number; evidenceComplete: boolean } | null;
  createdAt: string;
}

/** GET /api/milestones/:id/thread: oldest first; follow `next`. */
export interface MilestoneThreadPage {
  entries: MilestoneThreadEntry[];
  numberReturned: number;
  next: string | null;
}

/** Where the building of an evidence pack stands. */
export const EVIDENCE_PACK_STATES = ['queued', 'running', 'done', 'failed'] as const;
export type EvidencePackState = (typeof EVIDENCE_PACK_STATES)[number];

/**
 * POST /api/milestones/:id/evidence-pack, GET /api/evidence-packs/:id: one ZIP of a milestone's
 * evidence for an audit (status history, photos with their EXIF time and position, OTDR readings,
 * the review thread, a summary page and the SHA-256 of every file), built by a worker.
 */
export interface EvidencePack {
  id: string;
  milestoneId: string;
  milestoneCode: string;
  state: EvidencePackState;
  /** 0–100 while it is built. */
  progress: number;
  files: number | null;
  sizeBytes: number | null;
  /** The SHA-256 of the whole ZIP, once done. */
  sha256: string | null;
  /** Why it failed, in the reader's language. */
  error: { code: string; message: string } | null;
  requestedBy: string;
  createdAt: string;
  finishedAt: string | null;
  /** Relative URL of the ZIP once done, else null. */
  downloadUrl: string | null;
}
