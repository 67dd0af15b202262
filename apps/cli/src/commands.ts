import type { SeratConfig } from '@serat/config';
import { childEnvironment, LAUNCH_VIA_IPC, LaunchSettings } from '@serat/config';
import { createDataSource, explainDatabaseError, migrateUp } from '@serat/database';
import { isEmpty, seedKotim } from '@serat/demo';
import { AuditRepository, AuthTokensRepository, DomainError, PasswordHasher, Role, ROLES, UnitOfWork, UsersRepository, UsersService } from '@serat/domain';
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { DatabaseTarget, openDatabaseTarget } from './database-target';
import { CommandError } from './command-error';
import { openRedisTarget, RedisTarget } from './redis-target';

export type Log = (line: string) => void;

export { CommandError };

async function withDataSource<T>(url: string, work: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const dataSource = createDataSource({ url, poolMax: 2, applicationName: 'serat-cli' });
  try {
    await dataSource.initialize();
    return await work(dataSource);
  } catch (error) {
    if (error instanceof CommandError) throw error;
    throw new CommandError(explainDatabaseError(error, url));
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

async function runMigrations(url: string, log: Log): Promise<void> {
  await withDataSource(url, async (dataSource) => {
    const ran = await migrateUp(dataSource);
    log(ran.length ? `Migrations applied: ${ran.join(', ')}` : 'Database schema is up to date.');
  });
}

async function runSeed(url: string, log: Log): Promise<void> {
  await withDataSource(url, async (dataSource) => {
    if (await dataSource.showMigrations()) throw new CommandError('The database is not migrated. Run: npm run migrate');
    const summary = await seedKotim(dataSource);
    log(
      `Kotim data: ${summary.areasWritten} areas written, ${summary.phasesInserted} phases, ${summary.nodesInserted} nodes, ` +
        `${summary.segmentsInserted} segments and ${summary.sitesInserted} sites added (existing ones left as they were).`,
    );
  });
}

/** The users service over a plain data source, for the cli (no Nest container needed). */
function usersService(dataSource: DataSource): UsersService {
  return new UsersService(new UnitOfWork(dataSource), new UsersRepository(dataSource), new AuthTokensRepository(dataSource), new AuditRepository(dataSource), new PasswordHasher());
}

type DemoAccount = { username: string; password: string; role: string };

/** Makes the demo accounts on a fresh demo installation (once), and returns those it has. */
async function demoAccounts(url: string, create: boolean): Promise<DemoAccount[]> {
  return withDataSource(url, async (dataSource) => {
    if (create) await usersService(dataSource).ensureDemoUsers();
    return new UsersRepository(dataSource).listDemoAccounts();
  });
}

export interface CreateUserOptions {
  email: string;
  role: Role;
  username?: string;
  name?: string;
  /** Read from standard input when true; otherwise a temporary password is generated and printed. */
  passwordFromStdin?: string;
}

export async function createUserCommand(config: SeratConfig, log: Log, options: CreateUserOptions): Promise<void> {
  if (!ROLES.includes(options.role)) throw new CommandError(`--role must be one of ${ROLES.join(', ')}`);
  const target = await openDatabaseTarget(config, log);
  try {
    await withDataSource(target.url, async (dataSource) => {
      if (await dataSource.showMigrations()) throw new CommandError('The database is not migrated. Run: npm run migrate');
      const username = (options.username ?? options.email.split('@')[0]).toLowerCase();
      try {
        const { user, temporaryPassword } = await usersService(dataSource).create(
          { email: options.email, username, displayName: options.name ?? username, role: options.role, password: options.passwordFromStdin },
          { actorId: null, actorLabel: 'system:cli' },
        );
        log(`User created: ${user.username} <${user.email}>, role ${user.role}.`);
        if (temporaryPassword) log(`Temporary password (shown once; it must be changed at first sign-in): ${temporaryPassword}`);
      } catch (error) {
        if (error instanceof DomainError && error.code === 'DUPLICATE_USER') throw new CommandError(`A user with email ${options.email} or username ${username} exists already.`);
        if (error instanceof DomainError && error.code === 'WEAK_PASSWORD') {
          throw new CommandError(
            'The password is too weak: at least 10 characters mixing upper case, lower case, digits or symbols (or any 16 characters), not common, without your name or email.',
          );
        }
        throw error;
      }
    });
  } finally {
    await target.close();
  }
}

export async function migrateCommand(config: SeratConfig, log: Log, options: { revert?: boolean } = {}): Promise<void> {
  const target = await openDatabaseTarget(config, log);
  try {
    if (options.revert) {
      await withDataSource(target.url, async (dataSource) => {
        await dataSource.undoLastMigration({ transaction: 'each' });
        log('The last migration was reverted.');
      });
    } else {
      await runMigrations(target.url, log);
    }
  } finally {
    await target.close();
  }
}

export async function seedCommand(config: SeratConfig, log: Log): Promise<void> {
  const target = await openDatabaseTarget(config, log);
  try {
    await runSeed(target.url, log);
  } finally {
    await target.close();
  }
}

function distEntry(app: 'api' | 'worker'): string {
  // dist/apps/cli/src/commands.js → dist/apps/<app>/src/main.js
  return path.resolve(__dirname, '..', '..', app, 'src', 'main.js');
}

async function waitForHealth(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new CommandError('The api stopped during start-up; see the messages above.');
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new CommandError(`The api did not answer on port ${port} within ${timeoutMs / 1000} s.`);
}

/**
 * Everything for one machine: the database (embedded unless DATABASE_URL is set), migrations,
 * the demo data on a fresh embedded database, then the api and one worker as child processes.
 * Resolves when all have stopped.
 */
export async function startCommand(config: SeratConfig, log: Log): Promise<number> {
  const started = Date.now();
  // The api and the worker start at once and load their code while the database opens (the
  // embedded one takes seconds); they wait for the addresses of the database and Redis, sent
  // over their IPC channel once the database is migrated (see awaitLaunchSettings).
  const children: ChildProcess[] = (['api', 'worker'] as const).map((app) =>
    spawn(process.execPath, [distEntry(app)], { env: childEnvironment({ [LAUNCH_VIA_IPC]: '1' }), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  let target: DatabaseTarget | null = null;
  let redis: RedisTarget | null = null;
  let stopping = false;

  const stopAll = async (exitCode: number): Promise<number> => {
    stopping = true;
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const force = setTimeout(() => child.kill('SIGKILL'), 10000);
            child.once('exit', () => {
              clearTimeout(force);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    await redis?.close();
    await target?.close();
    return exitCode;
  };

  // From the first moment: a Ctrl+C while the database opens or the seed runs stops what is
  // already started (Redis included) instead of leaving it behind.
  let finished: ((code: number) => void) | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    log(`${signal} received: stopping Serat …`);
    void stopAll(0).then((code) => (finished ? finished(code) : process.exit(code)));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let accounts: DemoAccount[] = [];
  try {
    target = await openDatabaseTarget(config, log);
    redis = await openRedisTarget(config, log);
    await runMigrations(target.url, log);
    const seed = config.seedDemo === 'always' || (config.seedDemo === 'auto' && target.embedded);
    let seeded = false;
    if (seed) {
      const fresh = await withDataSource(target.url, isEmpty);
      if (fresh || config.seedDemo === 'always') {
        log('Loading the Kotim boundaries and demo network …');
        await runSeed(target.url, log);
        seeded = true;
      }
    }
    // Shown at every start of a demo installation, not only the first: they are on its sign-in page too.
    if (config.env !== 'production') accounts = await demoAccounts(target.url, seeded);
  } catch (error) {
    if (stopping) return new Promise<number>(() => undefined); // the signal handler stops and exits
    await stopAll(1);
    throw error;
  }
  if (stopping) return new Promise<number>(() => undefined);

  const settings: LaunchSettings = { DATABASE_URL: target.url, REDIS_URL: redis.url, SERAT_QUEUE_PREFIX: redis.queuePrefix };
  for (const child of children) if (child.connected) child.send(settings);

  return new Promise<number>((resolve) => {
    finished = resolve;
    for (const child of children) {
      child.once('exit', (code, signal) => {
        if (stopping) return;
        log(`A Serat process stopped unexpectedly (exit ${code ?? signal}); stopping the others.`);
        void stopAll(1).then(resolve);
      });
    }
    waitForHealth(config.http.port, children[0], 120000).then(
      () => {
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        if (accounts.length) {
          log('Demo accounts (also listed on the sign-in page of this demo installation):');
          for (const account of accounts) log(`  ${account.role.padEnd(10)} ${account.username.padEnd(10)} ${account.password}`);
        }
        log(`Serat is running after ${seconds} s. Open http://localhost:${config.http.port}/ (API docs: /api/docs). Ctrl+C stops it.`);
      },
      (error: Error) => {
        if (stopping) return;
        log(error.message);
        void stopAll(1).then(resolve);
      },
    );
  });
}
