/** What the map reads: its start-up facts, the health of the server, and the network as GeoJSON. */
import type { AdminLevel, NetworkStatus, NodeKind, NodeOwner, SegmentPlacement, SegmentTier, SiteKind } from '../../vocabulary/src/network-vocabulary';
import type { Language } from './labels';
import type { AreaGeometry, ContractFeature, FeatureCollectionPage, LineStringGeometry, PointGeometry } from './geojson';

/** [minLon, minLat, maxLon, maxLat], WGS84. */
export type BBox = [number, number, number, number];

export interface TileLayerMeta {
  url: string;
  attribution: string;
  maxZoom: number;
}

/** GET /api/meta: what the map needs to start. */
export interface Meta {
  appName: string;
  region: { code: string; name: string; bbox: BBox };
  demo: boolean;
  /** Where the map's data comes from, in each language of the interface (the reader's is shown). */
  attribution: Record<Language, string>;
  tileLayer: TileLayerMeta | null;
}

/** GET /api/health: the same body with 200 (ok, degraded) or 503 (down). */
export interface Health {
  status: 'ok' | 'degraded' | 'down';
  database: { status: 'up' | 'down' };
  redis: { status: 'up' | 'down'; note?: string };
}

export interface AreaProperties {
  code: string;
  name: string;
  level: AdminLevel;
  parentCode: string | null;
}

export interface SiteProperties {
  id: string;
  code: string;
  name: string;
  shortName: string | null;
  kind: SiteKind;
  phaseId: string | null;
  phaseName: string | null;
  costIdrPerMonth: number | null;
  kabupatenCode: string | null;
  kecamatanCode: string | null;
  kecamatanName: string | null;
  desaCode: string | null;
  desaName: string | null;
  isDemo: boolean;
  terminationNodeId: string | null;
  /** Derived: whether its termination node reaches the NOC over cable that is in service. */
  connected: boolean;
  version: number;
}

export interface NodeProperties {
  id: string;
  code: string;
  name: string | null;
  kind: NodeKind;
  status: NetworkStatus;
  owner: NodeOwner | null;
  kabupatenCode: string | null;
  kecamatanCode: string | null;
  desaCode: string | null;
  version: number;
}

export interface SegmentProperties {
  id: string;
  code: string;
  fromNodeId: string;
  toNodeId: string;
  placement: SegmentPlacement;
  tier: SegmentTier;
  cableType: string | null;
  coreCount: number | null;
  /** Geodesic, rounded to 0.1 m. */
  lengthM: number;
  status: NetworkStatus;
  phaseId: string | null;
  phaseName: string | null;
  version: number;
}

export type AreaFeature = ContractFeature<AreaGeometry, AreaProperties>;
export type SiteFeature = ContractFeature<PointGeometry, SiteProperties>;
export type NodeFeature = ContractFeature<PointGeometry, NodeProperties>;
export type SegmentFeature = ContractFeature<LineStringGeometry, SegmentProperties>;

export type AreasPage = FeatureCollectionPage<AreaFeature>;
export type SitesPage = FeatureCollectionPage<SiteFeature>;
export type NodesPage = FeatureCollectionPage<NodeFeature>;
export type SegmentsPage = FeatureCollectionPage<SegmentFeature>;

/** A work package (GET /api/phases): what a segment or site is built under. */
export interface Phase {
  id: string;
  code: string;
  name: string;
  budgetYear: number | null;
  /** A calendar date, YYYY-MM-DD. */
  targetDate: string | null;
  /** The budget in whole Rupiah. */
  budgetIdr: number | null;
  /** The kecamatan or desa the package is for, if it is for one (Kemendagri code). */
  areaCode: string | null;
}

/** What a phase contracts: its sites and segments (assigned by phase), the denominator of its progress. */
export interface PhaseScope {
  sites: number;
  segments: number;
  lengthM: number;
}

/** GET /api/phases/:id: one phase as stored, with its version (what an edit form starts from) and its scope. */
export interface PhaseRecord extends Phase {
  description: string | null;
  version: number;
  scope: PhaseScope;
  createdAt: string;
  updatedAt: string;
}

/** A site or segment that joined or left a phase, with the reason given (GET /api/phases/:id/scope-changes). Append-only. */
export interface PhaseScopeChange {
  id: string;
  subject: 'site' | 'segment';
  itemId: string;
  itemCode: string;
  action: 'added' | 'removed';
  reason: string | null;
  changedBy: string;
  changedAt: string;
}

export interface PhaseScopeChangesPage {
  changes: PhaseScopeChange[];
  numberReturned: number;
  next: string | null;
}

/** POST /api/phases/:id/scope: what the change did. */
export interface PhaseScopeResult {
  added: number;
  removed: number;
  scope: PhaseScope;
}

/** GET /api/phases: by code; follow `next` until it is null. */
export interface PhasesPage {
  phases: Phase[];
  numberReturned: number;
  /** Relative URL of the next page, or null. */
  next: string | null;
}

/** Segments of one status: how many, and the metres of cable (to the millimetre; in an area, the metres inside it). */
export interface SegmentStatusFigure {
  status: NetworkStatus;
  count: number;
  lengthM: number;
}

/** Nodes of one status. */
export interface NodeStatusFigure {
  status: NetworkStatus;
  count: number;
}

/** Sites of one kind: how many, and how many of them are connected. */
export interface SiteKindFigure {
  kind: SiteKind;
  total: number;
  connected: number;
}

/**
 * The figures of the network, or of one area: kept by the database as the network changes, never
 * summed from what a client downloaded. Only statuses and kinds that have any are listed (in the
 * vocabulary's order); one that is missing has none. Nodes have no phase: with `phase` they are empty.
 */
export interface NetworkFigures {
  segments: SegmentStatusFigure[];
  nodes: NodeStatusFigure[];
  sites: SiteKindFigure[];
}

/** GET /api/map/summary[?phase=<id>]: the whole region (segments outside every area included). Sent with an ETag; 304 to a matching If-None-Match. */
export interface MapSummary extends NetworkFigures {
  /** The phase asked for, or null for all of them. */
  phaseId: string | null;
}

/** One area with its figures; a segment crossing areas counts in each, by the metres inside it (in a kabupaten once). */
export interface AreaFigures extends NetworkFigures {
  code: string;
  name: string;
  level: AdminLevel;
  parentCode: string | null;
}

/** GET /api/areas/figures?level=…[&parent=…][&phase=…]: the areas by code, every one of them (also those without a network); follow `next` until it is null. */
export interface AreaFiguresPage {
  areas: AreaFigures[];
  phaseId: string | null;
  numberReturned: number;
  /** Relative URL of the next page, or null. */
  next: string | null;
}
