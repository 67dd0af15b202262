/**
 * The shared network vocabulary. The source file imports nothing, so it is safe to bundle
 * for the browser; nothing else from libs/ may be imported by the web app.
 */
export {
  ADMIN_LEVELS,
  NETWORK_STATUSES,
  NODE_KINDS,
  NODE_OWNERS,
  SEGMENT_PLACEMENTS,
  SEGMENT_TIERS,
  SITE_KINDS,
} from '../../../libs/domain/src/network/network-vocabulary';
export type {
  AdminLevel,
  NetworkStatus,
  NodeKind,
  NodeOwner,
  SegmentPlacement,
  SegmentTier,
  SiteKind,
} from '../../../libs/domain/src/network/network-vocabulary';
