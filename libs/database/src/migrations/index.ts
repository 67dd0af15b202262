import { InitialSchema1764300000000 } from './1764300000000-initial-schema';
import { AccountsAndAudit1764400000000 } from './1764400000000-accounts-and-audit';
import { SegmentAreas1764500000000 } from './1764500000000-segment-areas';
import { Evidence1764600000000 } from './1764600000000-evidence';
import { Imports1764700000000 } from './1764700000000-imports';
import { AdminAreaParts1764800000000 } from './1764800000000-admin-area-parts';
import { PhotoBlobs1764900000000 } from './1764900000000-photo-blobs';
import { ConnectedNodes1765100000000 } from './1765100000000-connected-nodes';
import { ImportJobs1765200000000 } from './1765200000000-import-jobs';
import { ChangeFeed1765400000000 } from './1765400000000-change-feed';
import { MapTiles1765500000000 } from './1765500000000-map-tiles';
import { AreaRollups1765600000000 } from './1765600000000-area-rollups';
import { ConnectivityMarks1765700000000 } from './1765700000000-connectivity-marks';
import { RolloutProgress1765800000000 } from './1765800000000-rollout-progress';
import { Milestones1765900000000 } from './1765900000000-milestones';
import { EvidencePacks1766000000000 } from './1766000000000-evidence-packs';
import { SitesPassed1766100000000 } from './1766100000000-sites-passed';
import { Monitors1766200000000 } from './1766200000000-monitors';

/** Every migration, in order. Listed explicitly: no globbing of compiled files. */
export const MIGRATIONS = [
  InitialSchema1764300000000,
  AccountsAndAudit1764400000000,
  SegmentAreas1764500000000,
  Evidence1764600000000,
  Imports1764700000000,
  AdminAreaParts1764800000000,
  PhotoBlobs1764900000000,
  ConnectedNodes1765100000000,
  ImportJobs1765200000000,
  ChangeFeed1765400000000,
  MapTiles1765500000000,
  AreaRollups1765600000000,
  ConnectivityMarks1765700000000,
  RolloutProgress1765800000000,
  Milestones1765900000000,
  EvidencePacks1766000000000,
  SitesPassed1766100000000,
  Monitors1766200000000,
];
