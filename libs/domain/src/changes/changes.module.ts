import { Module } from '@nestjs/common';
import { ChangeLogRepository } from './change-log.repository';

/** The committed changes, in commit order, for the live feed (GET /api/events). */
@Module({ providers: [ChangeLogRepository], exports: [ChangeLogRepository] })
export class ChangesModule {}
