import type { NetworkStatus, NodeKind, NodeOwner, SegmentPlacement, SegmentTier, SiteKind } from '@serat/vocabulary';

/**
 * Rows as the export endpoints read them from the database: plain values, WGS84 lon/lat, the
 * words of @serat/vocabulary. The domain's stored nodes, segments and sites must keep the fields
 * these share with them (libs/domain/src/exports/exports.repository.ts checks it).
 */

export interface ExportNode {
  id: string;
  code: string;
  name: string | null;
  kind: NodeKind;
  status: NetworkStatus;
  owner: NodeOwner | null;
  kecamatanCode: string | null;
  desaCode: string | null;
  lon: number;
  lat: number;
}

export interface ExportSegment {
  id: string;
  code: string;
  fromNodeId: string;
  toNodeId: string;
  fromNodeCode: string;
  toNodeCode: string;
  status: NetworkStatus;
  placement: SegmentPlacement;
  tier: SegmentTier;
  cableType: string | null;
  coreCount: number | null;
  lengthM: number;
  phaseName: string | null;
  /** WGS84 [lon, lat] pairs, at least two. */
  coordinates: [number, number][];
}

export interface ExportSite {
  id: string;
  code: string;
  name: string;
  shortName: string | null;
  kind: SiteKind;
  kecamatanCode: string | null;
  desaCode: string | null;
  phaseName: string | null;
  costIdrPerMonth: number | null;
  connected: boolean;
  lon: number;
  lat: number;
}

export type ExportLayer = { kind: 'segments'; items: ExportSegment[] } | { kind: 'nodes'; items: ExportNode[] } | { kind: 'sites'; items: ExportSite[] };

export type ExportValue = string | number | boolean | null;
