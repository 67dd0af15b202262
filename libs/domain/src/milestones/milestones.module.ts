import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { ProgressModule } from '../progress/progress.module';
import { SharedModule } from '../shared/shared.module';
import { EvidencePacksRepository } from './evidence-packs.repository';
import { EvidencePacksService } from './evidence-packs.service';
import { MilestonesRepository } from './milestones.repository';
import { MilestonesService } from './milestones.service';

/** Milestones: goals with a criterion Serat checks, a forecast, the evidence of their scope, and the mentors' review thread. */
@Module({
  imports: [SharedModule, AuditModule, ProgressModule, EvidenceModule],
  providers: [MilestonesRepository, MilestonesService, EvidencePacksRepository, EvidencePacksService],
  exports: [MilestonesRepository, MilestonesService, EvidencePacksRepository, EvidencePacksService],
})
export class MilestonesModule {}
