/**
 * The words of the network, shared by the domain, the export formats (libs/geo), the api, the
 * worker, the seed and the web app. This lib imports nothing, so that the browser bundle can use
 * it too; the database's CHECK constraints hold the same lists.
 */

/** The construction lifecycle of nodes and segments, in order. */
export const NETWORK_STATUSES = ['planned', 'surveyed', 'in_construction', 'installed', 'spliced', 'tested', 'active', 'damaged', 'decommissioned'] as const;
export type NetworkStatus = (typeof NETWORK_STATUSES)[number];

/**
 * The construction stages in order, each the usual next move from the one before; damaged and
 * decommissioned stand outside it. The lifecycle (status-lifecycle.ts) and the field panel's
 * "next stage" button (through libs/contract) both read this list.
 */
export const STATUS_STAGES = ['planned', 'surveyed', 'in_construction', 'installed', 'spliced', 'tested', 'active'] as const satisfies readonly NetworkStatus[];
export type StatusStage = (typeof STATUS_STAGES)[number];

export const NODE_KINDS = ['noc', 'olt', 'odc', 'odp', 'joint_closure', 'handhole', 'pole', 'termination'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export const SEGMENT_PLACEMENTS = ['aerial', 'underground', 'duct', 'river_crossing'] as const;
export type SegmentPlacement = (typeof SEGMENT_PLACEMENTS)[number];

/** Backbone runs NOC to ODC/kecamatan, distribution ODC to ODP/site, drop the last metres. */
export const SEGMENT_TIERS = ['backbone', 'distribution', 'drop'] as const;
export type SegmentTier = (typeof SEGMENT_TIERS)[number];

export const SITE_KINDS = ['sopd', 'kantor_kecamatan', 'kantor_desa', 'puskesmas', 'sekolah', 'other'] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

export const ADMIN_LEVELS = ['kabupaten', 'kecamatan', 'desa'] as const;
export type AdminLevel = (typeof ADMIN_LEVELS)[number];

/** Owners of poles and other passive plant. */
export const NODE_OWNERS = ['pemda', 'pln', 'telkom', 'other'] as const;
export type NodeOwner = (typeof NODE_OWNERS)[number];
