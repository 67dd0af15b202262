/**
 * The shared network vocabulary and the status lifecycle. Both source files import nothing at
 * run time (the lifecycle only a type), so they are safe to bundle for the browser; from libs/
 * the web app may import only these and libs/contract. The lifecycle is the api's own rule, so the
 * field form offers exactly the moves the server will accept.
 */
export { ADMIN_LEVELS, NETWORK_STATUSES, NODE_KINDS, NODE_OWNERS, SEGMENT_PLACEMENTS, SEGMENT_TIERS, SITE_KINDS } from '../../../../libs/vocabulary/src/network-vocabulary';
export type { AdminLevel, NetworkStatus, NodeKind, NodeOwner, SegmentPlacement, SegmentTier, SiteKind } from '../../../../libs/vocabulary/src/network-vocabulary';
export { judgeMove, type MoveVerdict } from '../../../../libs/vocabulary/src/status-lifecycle';

/** The roles that may change a status (the api checks the same list); the others only read. */
export { FIELD_ROLES } from '../../../../libs/contract/src';

/** The roles that plan the network: import, export, drawing and the attribute form. */
export const PLANNER_ROLES: readonly string[] = ['admin', 'planner'];
