/**
 * The shared network vocabulary and the status lifecycle. Both source files import nothing at
 * run time (the lifecycle only a type), so they are safe to bundle for the browser; nothing else
 * from libs/ may be imported by the web app. The lifecycle is the api's own rule, so the field
 * form offers exactly the moves the server will accept.
 */
export { ADMIN_LEVELS, NETWORK_STATUSES, NODE_KINDS, NODE_OWNERS, SEGMENT_PLACEMENTS, SEGMENT_TIERS, SITE_KINDS } from '../../../../libs/vocabulary/src/network-vocabulary';
export type { AdminLevel, NetworkStatus, NodeKind, NodeOwner, SegmentPlacement, SegmentTier, SiteKind } from '../../../../libs/vocabulary/src/network-vocabulary';
export { judgeMove, type MoveVerdict } from '../../../../libs/vocabulary/src/status-lifecycle';

/** The roles that may change a status (the api's FIELD_ROLES); the others only read. */
export const FIELD_ROLES: readonly string[] = ['admin', 'planner', 'technician'];

/** The roles that plan the network: import, export, drawing and the attribute form. */
export const PLANNER_ROLES: readonly string[] = ['admin', 'planner'];
