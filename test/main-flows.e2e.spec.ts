import { FlowTarget, MAIN_FLOWS, newFlowState } from './support/main-flows';
import { useTestServer } from './support/server';

/** The main flows on PostgreSQL; test/embedded.e2e.spec.ts runs the same ones on the embedded database. */
describe('the main flows on PostgreSQL (api, worker, Redis)', () => {
  const server = useTestServer({ seeded: true, worker: true, roles: ['admin', 'planner', 'technician', 'mentor'] });
  const state = newFlowState();
  let target: FlowTarget;

  beforeAll(() => {
    const planner = server.user('planner');
    target = { baseUrl: server.api.baseUrl, token: async (role) => server.token(role), credentials: { login: planner.username, password: planner.password } };
  });

  for (const flow of MAIN_FLOWS) it(flow.name, () => flow.run(target, state), 120000);
});
