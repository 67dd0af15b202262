import { bearer } from './support/auth';
import { useTestServer } from './support/server';

describe('the api without Redis', () => {
  // Port 9 (discard) on loopback: nothing listens, connections are refused at once.
  const server = useTestServer({ seeded: true, roles: ['planner'], env: { REDIS_URL: 'redis://127.0.0.1:9' } });

  it('still serves the map data', async () => {
    const response = await fetch(`${server.api.baseUrl}/api/areas?level=kecamatan`, { headers: bearer(server.token('planner')) });
    expect(response.status).toBe(200);
    expect((await response.json()).numberReturned).toBe(17);
  });

  it('says in /api/health that Redis is down and monitoring is paused', async () => {
    const response = await fetch(`${server.api.baseUrl}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'degraded',
      database: { status: 'up' },
      redis: { status: 'down', note: 'monitoring and background jobs are paused' },
    });
  });

  it('refuses to queue a job with 503 at once instead of hanging', async () => {
    const started = Date.now();
    const response = await fetch(`${server.api.baseUrl}/api/maintenance/area-membership`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(server.token('planner')) },
      body: '{}',
    });
    expect(response.status).toBe(503);
    expect((await response.json()).error.code).toBe('QUEUE_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('tells a planner who uploads an import that imports wait for Redis and how to enable it, in their language', async () => {
    for (const [language, words] of [
      ['id', /Impor .*menunggunya.*apt-get install redis-server.*REDIS_URL/],
      ['en', /Imports .*wait for it.*apt-get install redis-server.*REDIS_URL/],
    ] as const) {
      const form = new FormData();
      form.append('file', new Blob(['{"type":"FeatureCollection","features":[]}']), 'rute.geojson');
      const response = await fetch(`${server.api.baseUrl}/api/imports`, {
        method: 'POST',
        headers: { ...bearer(server.token('planner')), 'accept-language': language },
        body: form,
      });
      expect(response.status).toBe(503);
      const { error } = await response.json();
      expect(error.code).toBe('QUEUE_UNAVAILABLE');
      expect(error.message).toMatch(words);
    }
    // Nothing stored that no worker could take.
    expect(await server.db.dataSource.query(`SELECT count(*)::int AS n FROM imports`)).toEqual([{ n: 0 }]);
  });
});
