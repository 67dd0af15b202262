import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { bearer } from './support/auth';
import { useTestServer } from './support/server';
import { waitFor } from './support/wait';

/**
 * Uptime monitoring through the api, Redis and a real worker: a monitor of an endpoint this test
 * serves on loopback (allowed here by SERAT_MONITOR_ALLOW_CIDRS, as an administrator would), its
 * checks at their slots, its state going down after three failures and up after two successes,
 * the outage between, and what a planner is told about a target monitors may not reach.
 */
describe('uptime monitoring', () => {
  const server = useTestServer({
    seeded: true,
    worker: true,
    roles: ['planner', 'viewer'],
    env: { SERAT_MONITOR_ALLOW_CIDRS: '127.0.0.0/8', SERAT_MONITOR_MIN_INTERVAL_S: '1' },
  });
  const call = async (role: 'planner' | 'viewer', method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.api.baseUrl}${path}`, {
      method,
      headers: { ...bearer(server.token(role)), 'accept-language': 'id', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  let endpoint: http.Server;
  let healthy = true;
  let url: string;
  let siteId: string;

  beforeAll(async () => {
    endpoint = http.createServer((_request, response) => {
      response.statusCode = healthy ? 200 : 503;
      response.end(healthy ? 'SIMPEG normal' : 'gangguan');
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/status`;
    [{ id: siteId }] = await server.db.dataSource.query(`SELECT id FROM sites WHERE kind = 'sopd' ORDER BY code LIMIT 1`);
  });

  afterAll(async () => {
    endpoint.closeAllConnections();
    await new Promise<void>((resolve) => endpoint.close(() => resolve()));
  });

  it('checks a monitor at its slots, takes it down after three failures and up after two successes, with the outage between', async () => {
    const made = await call('planner', 'POST', '/api/monitors', { siteId, name: 'SIMPEG BKPSDM', kind: 'http', target: url, keyword: 'normal', intervalS: 2, timeoutMs: 1000 });
    expect([made.status, made.body.error]).toEqual([201, undefined]);
    expect(made.body).toMatchObject({ state: 'unknown', kind: 'http', intervalS: 2, paused: false, version: 1 });
    const id = made.body.id;
    const monitor = () => call('viewer', 'GET', `/api/monitors/${id}`).then((r) => r.body);

    expect((await waitFor(async () => ((await monitor()).state === 'up' ? true : undefined), 30000, 'the monitor up')) as boolean).toBe(true);
    healthy = false;
    const down = await waitFor(
      async () => {
        const current = await monitor();
        return current.state === 'down' ? current : undefined;
      },
      30000,
      'the monitor down',
    );
    expect(down).toMatchObject({ state: 'down', lastOk: false, lastError: 'STATUS' });
    const open = await call('viewer', 'GET', '/api/outages?open=true');
    expect(open.body.outages).toEqual([expect.objectContaining({ monitorId: id, endedAt: null, cause: 'answered 503, expected 200–399' })]);

    healthy = true;
    await waitFor(async () => ((await monitor()).state === 'up' ? true : undefined), 30000, 'the monitor up again');
    const outages = (await call('viewer', 'GET', `/api/outages?monitor=${id}`)).body.outages;
    expect(outages).toHaveLength(1);
    expect(Date.parse(outages[0].endedAt)).toBeGreaterThan(Date.parse(outages[0].startedAt));
    expect((await call('viewer', 'GET', '/api/outages?open=true')).body.outages).toEqual([]);

    // Every slot once, two seconds apart at the same offset, and the failures in between.
    const results = (await call('viewer', 'GET', `/api/monitors/${id}/results?limit=1000`)).body.results as { slotAt: string; ok: boolean; statusCode: number }[];
    const slots = results.map((r) => Date.parse(r.slotAt)).sort((a, b) => a - b);
    expect(new Set(slots).size).toBe(slots.length);
    for (let i = 1; i < slots.length; i++) expect((slots[i] - slots[0]) % 2000).toBe(0);
    expect(results.filter((r) => !r.ok).length).toBeGreaterThanOrEqual(3);
    expect(results.filter((r) => !r.ok).every((r) => r.statusCode === 503)).toBe(true);

    // Paused: no more results.
    const paused = await call('planner', 'PATCH', `/api/monitors/${id}`, { paused: true, version: (await monitor()).version });
    expect([paused.status, paused.body.paused]).toEqual([200, true]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const before = (await call('viewer', 'GET', `/api/monitors/${id}/results?limit=1000`)).body.numberReturned;
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect((await call('viewer', 'GET', `/api/monitors/${id}/results?limit=1000`)).body.numberReturned).toBe(before);

    const [audit] = await server.db.dataSource.query(`SELECT action FROM audit_log WHERE entity_type = 'monitor' AND entity_id = $1 ORDER BY id`, [id]);
    expect(audit).toEqual({ action: 'create' });
  }, 90000);

  it('tells a planner, in their language, what is wrong with a target, and lets nobody else set one up', async () => {
    const metadata = await call('planner', 'POST', '/api/monitors', { siteId, name: 'Metadata', kind: 'http', target: 'http://169.254.169.254/latest/meta-data/' });
    expect([metadata.status, metadata.body.error.code]).toEqual([422, 'MONITOR_TARGET_REFUSED']);
    expect(metadata.body.error.message).toContain('Alamat 169.254.169.254 tidak boleh dipantau');
    const noPort = await call('planner', 'POST', '/api/monitors', { siteId, name: 'Router', kind: 'tcp', target: '10.0.0.1' });
    expect([noPort.status, noPort.body.error.code, noPort.body.error.message]).toEqual([
      422,
      'MONITOR_TARGET',
      'Sasaran "10.0.0.1" tidak dapat diperiksa: tulis sebagai host:port.',
    ]);
    const slowTimeout = await call('planner', 'POST', '/api/monitors', { siteId, name: 'Router', kind: 'tcp', target: '10.0.0.1:22', intervalS: 5, timeoutMs: 6000 });
    expect([slowTimeout.status, slowTimeout.body.error.code]).toEqual([422, 'MONITOR_TIMEOUT']);
    const noSite = await call('planner', 'POST', '/api/monitors', { siteId: '00000000-0000-4000-8000-000000000000', name: 'Router', kind: 'tcp', target: '10.0.0.1:22' });
    expect([noSite.status, noSite.body.error.code]).toEqual([422, 'MONITOR_SITE_UNKNOWN']);
    expect((await call('viewer', 'POST', '/api/monitors', { siteId, name: 'Router', kind: 'tcp', target: '10.0.0.1:22' })).status).toBe(403);
  });
});
