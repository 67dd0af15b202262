import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { SharedModule } from '../shared/shared.module';
import { AuthTokensRepository } from './auth-tokens.repository';
import { AuthService } from './auth.service';
import { LoginThrottleRepository } from './login-throttle.repository';
import { PasswordHasher } from './password-hasher';
import { UsersRepository } from './users.repository';

const PROVIDERS = [UsersRepository, PasswordHasher, AuthTokensRepository, LoginThrottleRepository, AuthService];

/**
 * Signing in: the accounts (who may sign in, with which password and role), their tokens and the
 * throttle on failed attempts. The administration of accounts (the users feature) builds on it.
 */
@Module({ imports: [SharedModule, AuditModule], providers: PROVIDERS, exports: PROVIDERS })
export class AuthModule {}
