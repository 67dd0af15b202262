import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { SharedModule } from '../shared/shared.module';
import { ConnectivityRepository } from './connectivity.repository';
import { EndNodesService } from './end-nodes.service';
import { NetworkEditRepository } from './network-edit.repository';
import { NetworkEditService } from './network-edit.service';
import { NetworkStatusService } from './network-status.service';
import { NodesRepository } from './nodes.repository';
import { SegmentsRepository } from './segments.repository';
import { StatusRepository } from './status.repository';

const PROVIDERS = [NodesRepository, SegmentsRepository, StatusRepository, ConnectivityRepository, NetworkEditRepository, EndNodesService, NetworkStatusService, NetworkEditService];

/** Nodes and segments: their rows, their status lifecycle (with evidence), what is connected, and editing them. */
@Module({ imports: [SharedModule, AuditModule, EvidenceModule], providers: PROVIDERS, exports: PROVIDERS })
export class NetworkModule {}
