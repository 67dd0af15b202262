import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { SharedModule } from '../shared/shared.module';
import { MonitorsRepository } from './monitors.repository';
import { MonitorsService } from './monitors.service';

/** Uptime monitoring: monitors of sites' endpoints, their checks' results, state and outages. */
@Module({ imports: [SharedModule, AuditModule], providers: [MonitorsRepository, MonitorsService], exports: [MonitorsRepository, MonitorsService] })
export class MonitorsModule {}
