/**
 * The inventory list (GET /api/inventory/segments|nodes|sites): the network as rows without
 * geometry, a page at a time by offset, sorted on the server; the same filter downloads the
 * same rows from /api/exports/<layer>.<format>.
 */
import type { NetworkStatus, NodeKind, SegmentPlacement, SegmentTier, SiteKind } from '../../vocabulary/src/network-vocabulary';

export const INVENTORY_LAYERS = ['segments', 'nodes', 'sites'] as const;
export type InventoryLayer = (typeof INVENTORY_LAYERS)[number];

/** The columns each list sorts by; every sort ends with code, then id, so that pages never overlap. */
export const INVENTORY_SORTS = {
  segments: ['code', 'status', 'tier', 'placement', 'lengthM', 'phase', 'updatedAt'],
  nodes: ['code', 'name', 'kind', 'status', 'kecamatan', 'updatedAt'],
  sites: ['code', 'name', 'kind', 'phase', 'kecamatan', 'updatedAt'],
} as const satisfies Record<InventoryLayer, readonly string[]>;
export type InventorySort<L extends InventoryLayer> = (typeof INVENTORY_SORTS)[L][number];
export type SortOrder = 'asc' | 'desc';

/** The largest page the lists give. */
export const INVENTORY_MAX_LIMIT = 200;

export interface InventorySegmentRow {
  id: string;
  code: string;
  status: NetworkStatus;
  tier: SegmentTier;
  placement: SegmentPlacement;
  /** Geodesic, rounded to 0.1 m. */
  lengthM: number;
  phaseId: string | null;
  phaseName: string | null;
  /** The kecamatan and desa the route crosses, by name. */
  kecamatanNames: string[];
  desaNames: string[];
  /** ISO 8601. */
  updatedAt: string;
  version: number;
}

export interface InventoryNodeRow {
  id: string;
  code: string;
  name: string | null;
  kind: NodeKind;
  status: NetworkStatus;
  kecamatanCode: string | null;
  kecamatanName: string | null;
  desaCode: string | null;
  desaName: string | null;
  updatedAt: string;
  version: number;
}

export interface InventorySiteRow {
  id: string;
  code: string;
  name: string;
  kind: SiteKind;
  /** Derived as on the map: its termination node reaches the NOC over cable in service. */
  connected: boolean;
  phaseId: string | null;
  phaseName: string | null;
  kecamatanCode: string | null;
  kecamatanName: string | null;
  desaCode: string | null;
  desaName: string | null;
  updatedAt: string;
  version: number;
}

export interface InventoryRows {
  segments: InventorySegmentRow;
  nodes: InventoryNodeRow;
  sites: InventorySiteRow;
}

/** One page of a list: `total` rows match the filter; these are `offset` … `offset + rows.length - 1` of them. */
export interface InventoryPage<L extends InventoryLayer> {
  rows: InventoryRows[L][];
  total: number;
  offset: number;
  limit: number;
  sort: InventorySort<L>;
  order: SortOrder;
}
