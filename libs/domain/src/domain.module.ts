import { Module } from '@nestjs/common';
import { AreasRepository } from './areas/areas.repository';
import { NodesRepository } from './network/nodes.repository';
import { SegmentsRepository } from './network/segments.repository';
import { PhasesRepository } from './phases/phases.repository';
import { SitesRepository } from './sites/sites.repository';

const REPOSITORIES = [AreasRepository, NodesRepository, SegmentsRepository, SitesRepository, PhasesRepository];

/** The repositories over the shared data source; imported by the api, the worker and the cli. */
@Module({ providers: REPOSITORIES, exports: REPOSITORIES })
export class DomainModule {}
