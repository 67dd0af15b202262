import { openTestDatabase, OpenTestDatabase } from './support/databases';
import { RunningApi, startApi, testConfig } from './support/apps';
import { bearer, createTestUser, signIn } from './support/auth';

describe('the api without Redis', () => {
  let db: OpenTestDatabase;
  let api: RunningApi;
  let token: string;

  beforeAll(async () => {
    db = await openTestDatabase({ seeded: true });
    // Port 9 (discard) on loopback: nothing listens, connections are refused at once.
    api = await startApi(testConfig(db.url, { REDIS_URL: 'redis://127.0.0.1:9' }));
    token = await signIn(api.baseUrl, await createTestUser(db.dataSource, 'planner'));
  });
  afterAll(async () => {
    await api?.close();
    await db?.close();
  });

  it('still serves the map data', async () => {
    const response = await fetch(`${api.baseUrl}/api/areas?level=kecamatan`, { headers: bearer(token) });
    expect(response.status).toBe(200);
    expect((await response.json()).numberReturned).toBe(17);
  });

  it('says in /api/health that Redis is down and monitoring is paused', async () => {
    const response = await fetch(`${api.baseUrl}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'degraded',
      database: { status: 'up' },
      redis: { status: 'down', note: 'monitoring and background jobs are paused' },
    });
  });

  it('refuses to queue a job with 503 at once instead of hanging', async () => {
    const started = Date.now();
    const response = await fetch(`${api.baseUrl}/api/maintenance/area-membership`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: '{}',
    });
    expect(response.status).toBe(503);
    expect((await response.json()).error.code).toBe('QUEUE_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('tells a planner who uploads an import that imports wait for Redis and how to enable it, in their language', async () => {
    for (const [language, words] of [['id', /Impor .*menunggunya.*apt-get install redis-server.*REDIS_URL/], ['en', /Imports .*wait for it.*apt-get install redis-server.*REDIS_URL/]] as const) {
      const form = new FormData();
      form.append('file', new Blob(['{"type":"FeatureCollection","features":[]}']), 'rute.geojson');
      const response = await fetch(`${api.baseUrl}/api/imports`, { method: 'POST', headers: { ...bearer(token), 'accept-language': language }, body: form });
      expect(response.status).toBe(503);
      const { error } = await response.json();
      expect(error.code).toBe('QUEUE_UNAVAILABLE');
      expect(error.message).toMatch(words);
    }
    // Nothing stored that no worker could take.
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM imports`)).toEqual([{ n: 0 }]);
  });
});
