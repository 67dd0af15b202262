import { Module } from '@nestjs/common';
import { NetworkModule } from '../network/network.module';
import { SitesModule } from '../sites/sites.module';
import { AreasRepository } from './areas.repository';

/** Kabupaten, kecamatan and desa with their boundaries, and which of them the nodes and sites lie in. */
@Module({ imports: [NetworkModule, SitesModule], providers: [AreasRepository], exports: [AreasRepository] })
export class AreasModule {}
