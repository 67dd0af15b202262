import { Module } from '@nestjs/common';
import { UnitOfWork } from './transaction';

/** What every feature's services need: the one place transactions are opened. */
@Module({ providers: [UnitOfWork], exports: [UnitOfWork] })
export class SharedModule {}
