import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ProgressModule } from '../progress/progress.module';
import { SharedModule } from '../shared/shared.module';
import { MilestonesRepository } from './milestones.repository';
import { MilestonesService } from './milestones.service';

/** Milestones: goals with a criterion Serat checks, a forecast, the evidence of their scope, and the mentors' review thread. */
@Module({ imports: [SharedModule, AuditModule, ProgressModule], providers: [MilestonesRepository, MilestonesService], exports: [MilestonesRepository, MilestonesService] })
export class MilestonesModule {}
