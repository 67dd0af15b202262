import { Module } from '@nestjs/common';
import { MilestonesModule } from '../milestones/milestones.module';
import { PhasesModule } from '../phases/phases.module';
import { ProgressModule } from '../progress/progress.module';
import { SharedModule } from '../shared/shared.module';
import { ReportsRepository } from './reports.repository';
import { RolloutReportService } from './rollout-report.service';

/** The rollout report for the Bupati or the DPRD: what it says, read once for its HTML and its PDF. */
@Module({
  imports: [SharedModule, ProgressModule, MilestonesModule, PhasesModule],
  providers: [ReportsRepository, RolloutReportService],
  exports: [ReportsRepository, RolloutReportService],
})
export class ReportsModule {}
