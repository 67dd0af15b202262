import { Module } from '@nestjs/common';
import { NetworkModule } from '../network/network.module';
import { RollupsModule } from '../rollups/rollups.module';
import { SharedModule } from '../shared/shared.module';
import { ProgressHistoryRepository } from './progress-history.repository';
import { ProgressHistoryService } from './progress-history.service';
import { ProgressRepository } from './progress.repository';

/** Rollout progress per area and phase (passed sites, percentages), savings, and the daily history with its back-fill. */
@Module({
  imports: [SharedModule, NetworkModule, RollupsModule],
  providers: [ProgressRepository, ProgressHistoryRepository, ProgressHistoryService],
  exports: [ProgressRepository, ProgressHistoryRepository, ProgressHistoryService],
})
export class ProgressModule {}
