import { AdminArea } from './areas/admin-area.entity';
import { NetworkNode } from './network/node.entity';
import { Segment } from './network/segment.entity';
import { StatusChange } from './network/status-change.entity';
import { Phase } from './phases/phase.entity';
import { Site } from './sites/site.entity';

/** Every entity, listed explicitly for the data source. */
export const ENTITIES = [AdminArea, Phase, NetworkNode, Segment, Site, StatusChange];
