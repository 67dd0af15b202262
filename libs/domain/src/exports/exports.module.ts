import { Module } from '@nestjs/common';
import { NetworkModule } from '../network/network.module';
import { ExportsRepository } from './exports.repository';

/** The rows the export formats are written from. */
@Module({ imports: [NetworkModule], providers: [ExportsRepository], exports: [ExportsRepository] })
export class ExportsModule {}
