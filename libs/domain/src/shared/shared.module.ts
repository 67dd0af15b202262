import { Module } from '@nestjs/common';
import { ScopeReasonRepository } from './scope-reason.repository';
import { UnitOfWork } from './transaction';

/** What every feature's services need: the one place transactions are opened, and the reason a transaction gives for a phase's scope. */
@Module({ providers: [UnitOfWork, ScopeReasonRepository], exports: [UnitOfWork, ScopeReasonRepository] })
export class SharedModule {}
