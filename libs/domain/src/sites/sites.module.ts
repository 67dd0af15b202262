import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { NetworkModule } from '../network/network.module';
import { SharedModule } from '../shared/shared.module';
import { SitesRepository } from './sites.repository';
import { SitesService } from './sites.service';

/** The places the network must reach; whether each is connected comes from the network. */
@Module({ imports: [SharedModule, AuditModule, NetworkModule], providers: [SitesRepository, SitesService], exports: [SitesRepository, SitesService] })
export class SitesModule {}
