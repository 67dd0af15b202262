import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { SharedModule } from '../shared/shared.module';
import { UsersService } from './users.service';

/** The administration of accounts: creating them, changing roles and areas, deactivating (which ends their sessions). */
@Module({ imports: [SharedModule, AuthModule, AuditModule], providers: [UsersService], exports: [UsersService] })
export class UsersModule {}
