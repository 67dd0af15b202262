import type { INestApplicationContext } from '@nestjs/common';
import type { SeratConfig } from '@serat/config';
import type { Role } from '@serat/domain';
import { RunningApi, startApi, startWorker, testConfig } from './apps';
import { createTestUser, signIn, TestUser } from './auth';
import { openTestDatabase, OpenTestDatabase } from './databases';

export interface TestServerOptions {
  /** The Kotim boundaries and demo network in the database (the seeded template). */
  seeded?: boolean;
  /** A worker beside the api, on the same queue prefix, so imports and other jobs run. */
  worker?: boolean;
  /** One user per role, made in the database and signed in through the api. */
  roles?: readonly Role[];
  /** Settings as the environment would give them (SERAT_…), on top of the test defaults. */
  env?: Record<string, string>;
}

/** What a test file uses: each part is there from its `beforeAll` on. */
export interface TestServer {
  readonly db: OpenTestDatabase;
  readonly api: RunningApi;
  /** The worker; asking for it without `worker: true` is a mistake in the test. */
  readonly worker: INestApplicationContext;
  readonly config: SeratConfig;
  /** The signed-in user of a role named in `roles`. */
  user(role: Role): TestUser;
  /** That user's access token. */
  token(role: Role): string;
  /** `http://127.0.0.1:port` + path. */
  url(path: string): string;
}

/**
 * A private database (a copy of the migrated or seeded template), the api on a free port, the
 * worker when asked, and signed-in users of the roles asked for, for one test file: registers
 * the file's `beforeAll` and `afterAll`, so a spec starts with what it tests.
 */
export function useTestServer(options: TestServerOptions = {}): TestServer {
  let db: OpenTestDatabase | null = null;
  let api: RunningApi | null = null;
  let worker: INestApplicationContext | null = null;
  let config: SeratConfig | null = null;
  const users = new Map<Role, { user: TestUser; token: string }>();

  beforeAll(async () => {
    db = await openTestDatabase({ seeded: options.seeded ?? false });
    config = testConfig(db.url, options.env);
    api = await startApi(config);
    if (options.worker) worker = await startWorker(config);
    for (const role of options.roles ?? []) {
      const user = await createTestUser(db.dataSource, role);
      users.set(role, { user, token: await signIn(api.baseUrl, user) });
    }
  }, 60000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await db?.close();
  }, 60000);

  const present = <T>(value: T | null, what: string): T => {
    if (value === null) throw new Error(`the test server has no ${what} (yet): use it inside a test or a later beforeAll`);
    return value;
  };
  const signedIn = (role: Role) => {
    const entry = users.get(role);
    if (!entry) throw new Error(`no signed-in ${role}: name it in useTestServer({ roles })`);
    return entry;
  };
  return {
    get db() {
      return present(db, 'database');
    },
    get api() {
      return present(api, 'api');
    },
    get worker() {
      return present(worker, options.worker ? 'worker' : 'worker (pass worker: true)');
    },
    get config() {
      return present(config, 'configuration');
    },
    user: (role) => signedIn(role).user,
    token: (role) => signedIn(role).token,
    url: (path) => `${present(api, 'api').baseUrl}${path}`,
  };
}
