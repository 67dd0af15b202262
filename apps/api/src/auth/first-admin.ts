import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SERAT_CONFIG, SeratConfig } from '@serat/config';
import { DomainError, UsersRepository, UsersService } from '@serat/domain';

/**
 * A new deployment gets its first admin from SERAT_ADMIN_EMAIL and SERAT_ADMIN_PASSWORD, once,
 * while no admin exists; otherwise `npm run user:create -- --role admin`. There is no built-in
 * default password.
 */
@Injectable()
export class FirstAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger(FirstAdmin.name);

  constructor(
    @Inject(SERAT_CONFIG) private readonly config: SeratConfig,
    private readonly service: UsersService,
    private readonly users: UsersRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const wanted = this.config.auth.firstAdmin;
    if (wanted) {
      try {
        const created = await this.service.ensureFirstAdmin(wanted.email, wanted.password);
        if (created) this.logger.log(`first admin created: ${created.email} (username ${created.username})`);
      } catch (error) {
        if (error instanceof DomainError && error.code === 'WEAK_PASSWORD') {
          throw new Error(`SERAT_ADMIN_PASSWORD is too weak (${JSON.stringify(error.details)}): use at least 10 characters mixing kinds, or 16 of any kind`);
        }
        throw error;
      }
    } else if ((await this.users.countActiveAdmins()) === 0) {
      this.logger.warn('No admin account exists. Set SERAT_ADMIN_EMAIL and SERAT_ADMIN_PASSWORD, or run: npm run user:create -- --role admin --email you@example.org');
    }
  }
}
