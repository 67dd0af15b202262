import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { NetworkModule } from '../network/network.module';
import { SharedModule } from '../shared/shared.module';
import { ImportsRepository } from './imports.repository';
import { ImportsService } from './imports.service';

/** Contractors' files into the network: the dry run, the commit, mapping templates. */
@Module({ imports: [SharedModule, NetworkModule, AuditModule], providers: [ImportsRepository, ImportsService], exports: [ImportsRepository, ImportsService] })
export class ImportsModule {}
