import { bearer } from './support/auth';
import { useTestServer } from './support/server';

describe('the api when its database goes away', () => {
  const server = useTestServer({ seeded: true, roles: ['viewer'] });

  beforeAll(async () => {
    expect((await fetch(`${server.api.baseUrl}/api/health`)).status).toBe(200);
    await server.db.dataSource.destroy();
    await server.db.drop(); // terminates the api's connections and removes the database
  });

  it('reports it in /api/health with 503', async () => {
    const response = await fetch(`${server.api.baseUrl}/api/health`);
    expect(response.status).toBe(503);
    expect((await response.json()).database).toEqual({ status: 'down' });
  });

  it('answers map requests with 503 and a clear message, not a stack trace', async () => {
    const response = await fetch(`${server.api.baseUrl}/api/sites`, { headers: bearer(server.token('viewer')) });
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body.error).toEqual(expect.objectContaining({ code: 'DATABASE_UNAVAILABLE', message: 'Basis data tidak dapat dihubungi. Coba lagi nanti.' }));
    expect(JSON.stringify(body)).not.toMatch(/SELECT|at .*\.ts|pg_/);
  });
});
