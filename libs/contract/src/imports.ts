/** Imports of network files: the job's state, what the dry run found, the per-feature report, templates. */
import type { NetworkStatus, NodeKind, SegmentPlacement, SegmentTier } from '../../vocabulary/src/network-vocabulary';

export const IMPORT_STATES = ['queued', 'analysing', 'ready', 'committing', 'committed', 'failed'] as const;
export type ImportState = (typeof IMPORT_STATES)[number];

/** The Serat fields a file's properties can feed. */
export const IMPORT_FIELDS = ['code', 'name', 'status', 'coreCount', 'cableType', 'placement', 'nodeKind'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Which properties feed which field (each a list of names tried in turn; empty: none), and extra words. */
export type ImportMapping = Partial<Record<ImportField, string[]>> & {
  /** Extra words for statuses and placements, e.g. { "Existing": "active" }. */
  statusValues?: Record<string, NetworkStatus>;
  placementValues?: Record<string, SegmentPlacement>;
};

/** What the dry run found in the file (GET /api/imports/:id only; the list leaves it out). */
export interface ImportAnalysis {
  /** The file's property names, in the order first met, with how many features carry a value. */
  properties: Array<{ name: string; count: number; samples: string[] }>;
  /** Distinct property names met (counted up to a bound). */
  propertyCount: number;
  fields: Partial<Record<ImportField, Array<{ property: string; count: number }>>>;
  unrecognised: {
    status: Array<{ value: string; count: number }>;
    placement: Array<{ value: string; count: number }>;
    statusFeatures: number;
    placementFeatures: number;
  };
  mapping: ImportMapping;
}

export interface ImportCounts {
  features: number;
  create: number;
  update: number;
  unchanged: number;
  reject: number;
  lengthM: number;
}

export interface ImportSummary extends ImportCounts {
  analysis?: ImportAnalysis;
}

/**
 * What an import is made with: sent as JSON in the `options` field of POST /api/imports and as
 * `options` of POST /api/imports/:id/analyse; stored on the import with the api's defaults filled in.
 */
export interface ImportOptions {
  regionCheck?: boolean;
  source?: string;
  templateId?: string;
  mapping?: ImportMapping;
  /** For what the file does not say. */
  defaultStatus?: NetworkStatus;
  defaultTier?: SegmentTier;
  defaultPlacement?: SegmentPlacement;
  nodeKind?: NodeKind;
  /** Written by the dry run, never taken from a caller: the mapping it used, which the commit applies. */
  analysedMapping?: ImportMapping;
  [other: string]: unknown;
}

/** POST /api/imports/:id/analyse: the dry run again with these options, in full (they replace the import's own). */
export interface ReanalyseImportRequest {
  options: ImportOptions;
}

/** An import (POST /api/imports, GET /api/imports/:id, an entry of the list). */
export interface ImportJob<Time = string> {
  id: string;
  fileName: string;
  /** Who uploaded it (a user id), their display name, and when. */
  createdBy: string;
  createdByName: string | null;
  createdAt: Time;
  committedAt: Time | null;
  state: ImportState;
  /** Percent. */
  progress: number;
  format: string | null;
  sourceCrs: string | null;
  summary: ImportSummary | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** The options it was analysed with (defaults filled in by the api). */
  options: ImportOptions;
  /** Moves on with every change of state (a new analysis is a new version). */
  version: number;
}

/** GET /api/imports: newest first; `next` is the `before` of the next page, null on the last. */
export interface ImportsPage<Time = string> {
  imports: ImportJob<Time>[];
  next: string | null;
}

export type ImportAction = 'create' | 'update' | 'unchanged' | 'reject';

export interface ImportReportRow {
  index: number;
  sourceId: string | null;
  part: number | null;
  kind: string | null;
  action: ImportAction;
  code: string | null;
  reasons: string[];
  warnings: string[];
  /** Why a feature the file could not give at all was refused. */
  message?: string;
}

/** GET /api/imports/:id/report: a page of the rows in file order. */
export interface ImportReportPage {
  total: number;
  rows: ImportReportRow[];
}

/** POST /api/imports/:id/commit: accepted, the commit runs in the worker. */
export interface CommitAccepted {
  id: string;
  state: 'committing';
}

export interface ImportTemplate {
  id: string;
  name: string;
  mapping: ImportMapping;
}

/** POST /api/import-templates: a mapping kept under a name (a template of that name is replaced). */
export interface SaveImportTemplateRequest {
  name: string;
  mapping: ImportMapping;
}

export interface ImportTemplatesAnswer {
  templates: ImportTemplate[];
}
