import { Module } from '@nestjs/common';
import { AuditRepository } from './audit.repository';

/** The audit log: written by every feature in its own transactions, read by the admin. */
@Module({ providers: [AuditRepository], exports: [AuditRepository] })
export class AuditModule {}
