import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { NetworkModule } from '../network/network.module';
import { SharedModule } from '../shared/shared.module';
import { SitesModule } from '../sites/sites.module';
import { PhasesRepository } from './phases.repository';
import { PhasesService } from './phases.service';

/** Phases (tahap) and work packages: what a segment or site is built under, with year, budget, target date and scope. */
@Module({ imports: [SharedModule, AuditModule, NetworkModule, SitesModule], providers: [PhasesRepository, PhasesService], exports: [PhasesRepository, PhasesService] })
export class PhasesModule {}
