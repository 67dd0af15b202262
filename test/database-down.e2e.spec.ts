import { openTestDatabase, OpenTestDatabase } from './support/databases';
import { RunningApi, startApi, testConfig } from './support/apps';
import { bearer, createTestUser, signIn } from './support/auth';

describe('the api when its database goes away', () => {
  let db: OpenTestDatabase;
  let api: RunningApi;
  let token: string;

  beforeAll(async () => {
    db = await openTestDatabase({ seeded: true });
    api = await startApi(testConfig(db.url));
    token = await signIn(api.baseUrl, await createTestUser(db.dataSource, 'viewer'));
    expect((await fetch(`${api.baseUrl}/api/health`)).status).toBe(200);
    await db.dataSource.destroy();
    await db.drop(); // terminates the api's connections and removes the database
  });
  afterAll(async () => {
    await api?.close();
  });

  it('reports it in /api/health with 503', async () => {
    const response = await fetch(`${api.baseUrl}/api/health`);
    expect(response.status).toBe(503);
    expect((await response.json()).database).toEqual({ status: 'down' });
  });

  it('answers map requests with 503 and a clear message, not a stack trace', async () => {
    const response = await fetch(`${api.baseUrl}/api/sites`, { headers: bearer(token) });
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body.error).toEqual(
      expect.objectContaining({ code: 'DATABASE_UNAVAILABLE', message: 'Basis data tidak dapat dihubungi. Coba lagi nanti.' }),
    );
    expect(JSON.stringify(body)).not.toMatch(/SELECT|at .*\.ts|pg_/);
  });
});
