import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigError, SERAT_CONFIG, SeratConfig } from '@serat/config';
import { DomainError, UsersRepository, UsersService } from '@serat/domain';

/** What each problem code of passwordProblems means, said of SERAT_ADMIN_PASSWORD. */
const WEAKNESS: Record<string, string> = {
  too_short: 'it has fewer than 10 characters',
  too_long: 'it has more than 200 characters',
  too_simple: 'it has fewer than 16 characters and mixes fewer than three kinds (lower case, upper case, digits, symbols)',
  too_common: 'it is one of the passwords people choose first',
  contains_personal: 'it contains the name of the account (from SERAT_ADMIN_EMAIL)',
};

/** One sentence for the start-up error: what is wrong, then what would do. */
export function describeWeakAdminPassword(problems: string[]): string {
  const why = problems.map((problem) => WEAKNESS[problem] ?? problem).join(', and ');
  return `SERAT_ADMIN_PASSWORD is too weak: ${why}; use at least 10 characters mixing three kinds (or 16 of any kind), not a common password and not the name in SERAT_ADMIN_EMAIL`;
}

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
        // A setting that cannot be used: stops the api like any other configuration error (exit 2).
        if (error instanceof DomainError && error.code === 'WEAK_PASSWORD') {
          throw new ConfigError([describeWeakAdminPassword((error.details as { problems: string[] }).problems)]);
        }
        throw error;
      }
    } else if ((await this.users.countActiveAdmins()) === 0) {
      this.logger.warn('No admin account exists. Set SERAT_ADMIN_EMAIL and SERAT_ADMIN_PASSWORD, or run: npm run user:create -- --role admin --email you@example.org');
    }
  }
}
