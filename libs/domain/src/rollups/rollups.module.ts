import { Module } from '@nestjs/common';
import { NetworkModule } from '../network/network.module';
import { RollupsRepository } from './rollups.repository';

/** The figures of the region and of each area and phase (km per status, sites connected), kept by the database as the network changes. */
@Module({ imports: [NetworkModule], providers: [RollupsRepository], exports: [RollupsRepository] })
export class RollupsModule {}
