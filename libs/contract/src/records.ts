/**
 * One segment, node or site as stored (the editor's reads, PATCH answers, a 409's `details.current`)
 * and the field work on them: status history, status changes, photos.
 *
 * Timestamps are ISO 8601 text on the wire; the api builds them as Date (JSON writes ISO 8601), so
 * the types that carry one take the time's type as a parameter, text by default.
 */
import type { AdminLevel, NetworkStatus, NodeKind, NodeOwner, SegmentPlacement, SegmentTier, SiteKind } from '../../vocabulary/src/network-vocabulary';
import type { LineStringGeometry, PointGeometry } from './geojson';

/** A kecamatan or desa a segment crosses, with the metres inside it. */
export interface AreaCrossed {
  code: string;
  name: string;
  level: Exclude<AdminLevel, 'kabupaten'>;
  lengthM: number | string | null;
}

/** Numeric columns (lengths) come as text from PostgreSQL's numeric, as a number elsewhere. */
export type Decimal = number | string;

/** GET /api/segments/:id (with the areas it crosses), a PATCH answer, a 409's `details.current`. */
export interface SegmentRecord {
  id: string;
  code: string;
  fromNodeId: string;
  toNodeId: string;
  geometry: LineStringGeometry;
  lengthM: Decimal;
  placement: SegmentPlacement;
  tier: SegmentTier;
  cableType: string | null;
  coreCount: number | null;
  status: NetworkStatus;
  phaseId: string | null;
  contractor: string | null;
  slackM: Decimal | null;
  version: number;
  areas?: AreaCrossed[];
}

export interface NodeRecord {
  id: string;
  code: string;
  name: string | null;
  kind: NodeKind;
  status: NetworkStatus;
  owner: NodeOwner | null;
  version: number;
  geometry: PointGeometry;
}

export interface SiteRecord {
  id: string;
  code: string;
  name: string;
  shortName: string | null;
  kind: SiteKind;
  phaseId: string | null;
  terminationNodeId: string | null;
  costIdrPerMonth: Decimal | null;
  kecamatanCode: string | null;
  desaCode: string | null;
  version: number;
  geometry: PointGeometry;
}

/** One status change of a segment or node, newest first in GET /api/{segments,nodes}/:id/history. */
export interface HistoryEntry<Time = string> {
  id: string;
  fromStatus: NetworkStatus | null;
  toStatus: NetworkStatus;
  changedAt: Time;
  /** When the change was made on the device (offline edits). */
  deviceTime: Time | null;
  changedBy: string | null;
  note: string | null;
  gps: { lon: number; lat: number; accuracyM: number | null } | null;
  otdr: { lengthM: number; lossDb: number; wavelengthNm: number | null } | null;
  photoIds: string[];
}

export interface HistoryAnswer<Time = string> {
  history: HistoryEntry<Time>[];
}

/**
 * The state of a segment or node after a status change: what a 201 returns. A 409's
 * `details.current` has these too, within the whole record (SegmentRecord, NodeRecord).
 */
export interface SubjectState {
  id: string;
  code: string;
  status: NetworkStatus;
  version: number;
}

/** POST /api/photos: the stored photo, to name in a status change's evidence. */
export interface UploadedPhoto {
  id: string;
  width: number;
  height: number;
}
