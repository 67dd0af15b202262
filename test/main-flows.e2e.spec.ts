import type { INestApplicationContext } from '@nestjs/common';
import { RunningApi, startApi, startWorker, testConfig } from './support/apps';
import { createTestUser, signIn, TestUser } from './support/auth';
import { openTestDatabase, OpenTestDatabase } from './support/databases';
import { FlowTarget, MAIN_FLOWS, newFlowState } from './support/main-flows';

/** The main flows on PostgreSQL; test/embedded.e2e.spec.ts runs the same ones on the embedded database. */
describe('the main flows on PostgreSQL (api, worker, Redis)', () => {
  let db: OpenTestDatabase;
  let api: RunningApi;
  let worker: INestApplicationContext;
  const users: Partial<Record<'admin' | 'planner' | 'technician', TestUser>> = {};
  const tokens = new Map<string, string>();
  const state = newFlowState();
  let target: FlowTarget;

  beforeAll(async () => {
    db = await openTestDatabase({ seeded: true });
    const config = testConfig(db.url);
    api = await startApi(config);
    worker = await startWorker(config);
    for (const role of ['admin', 'planner', 'technician'] as const) users[role] = await createTestUser(db.dataSource, role);
    target = {
      baseUrl: api.baseUrl,
      token: async (role) => {
        if (!tokens.has(role)) tokens.set(role, await signIn(api.baseUrl, users[role]!));
        return tokens.get(role)!;
      },
      credentials: { login: users.planner!.username, password: users.planner!.password },
    };
  }, 60000);
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await db?.close();
  }, 60000);

  for (const flow of MAIN_FLOWS) it(flow.name, () => flow.run(target, state), 120000);
});
