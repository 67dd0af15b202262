import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { RunningApi, startApi, testConfig } from './support/apps';
import { bearer, createTestUser, signIn } from './support/auth';
import { openTestDatabase, OpenTestDatabase, testSettings } from './support/databases';
import { freePort } from './support/ports';
import { repoRoot } from './support/processes';
import { FeedEvent, FeedStream, openFeed } from './support/sse';
import { waitFor } from './support/wait';

/** The compiled api as its own process, as a replica in production. */
async function startApiProcess(env: Record<string, string>): Promise<{ baseUrl: string; child: ChildProcess; output: () => string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'apps', 'api', 'src', 'main.js')], {
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  await waitFor(async () => (/listening on/.test(text) ? true : child.exitCode !== null ? Promise.reject(new Error(text)) : undefined), 60000, 'the api to start');
  return { baseUrl: `http://127.0.0.1:${port}`, child, output: () => text };
}

const changes = (stream: FeedStream, from = 0) => stream.events.slice(from).filter((event) => event.event === 'change');
const isChangeOf = (id: string, version?: number) => (event: FeedEvent) =>
  event.event === 'change' && (event.data as { id: string }).id === id && (version === undefined || (event.data as { version: number }).version === version);

describe('the live feed, GET /api/events, across two api processes', () => {
  let db: OpenTestDatabase;
  let replicas: Array<{ baseUrl: string; child: ChildProcess; output: () => string }> = [];
  let planner: string;
  let viewer: string;
  let admin: string;
  let segments: Array<{ id: string; version: number }>;
  const open: FeedStream[] = [];
  const feed = async (baseUrl: string, token: string, lastEventId?: string) => {
    const stream = await openFeed(baseUrl, token, lastEventId);
    open.push(stream);
    return stream;
  };

  beforeAll(async () => {
    db = await openTestDatabase({ seeded: true });
    const env = { DATABASE_URL: db.url, REDIS_URL: testSettings.redisUrl, SERAT_QUEUE_PREFIX: `test-feed-${randomBytes(3).toString('hex')}`, LOG_LEVEL: 'error', NODE_ENV: 'test' };
    replicas = await Promise.all([startApiProcess(env), startApiProcess(env)]);
    planner = await signIn(replicas[0].baseUrl, await createTestUser(db.dataSource, 'planner'));
    viewer = await signIn(replicas[0].baseUrl, await createTestUser(db.dataSource, 'viewer'));
    admin = await signIn(replicas[0].baseUrl, await createTestUser(db.dataSource, 'admin'));
    segments = await db.dataSource.query(`SELECT id::text, version FROM segments ORDER BY code LIMIT 6`);
  }, 120000);
  afterEach(() => {
    for (const stream of open.splice(0)) stream.close();
  });
  afterAll(async () => {
    for (const replica of replicas) replica.child.kill('SIGTERM');
    await Promise.all(replicas.map((replica) => new Promise((resolve) => (replica.child.exitCode !== null ? resolve(null) : replica.child.once('exit', resolve)))));
    await db?.close();
  }, 60000);

  /** A planner's edit through the first replica; returns the new version. */
  const edit = async (segment: { id: string; version: number }, coreCount: number) => {
    const response = await fetch(`${replicas[0].baseUrl}/api/segments/${segment.id}`, {
      method: 'PATCH',
      headers: { ...bearer(planner), 'content-type': 'application/json' },
      body: JSON.stringify({ coreCount, version: segment.version }),
    });
    expect(response.status).toBe(200);
    segment.version = (await response.json()).version;
    return segment.version;
  };

  it('opens with ready and an id to resume from, and refuses anyone not signed in', async () => {
    const anonymous = await fetch(`${replicas[1].baseUrl}/api/events`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.code).toBe('UNAUTHENTICATED');
    const stream = await feed(replicas[1].baseUrl, viewer);
    expect(stream.status).toBe(200);
    const ready = await stream.next((event) => event.event === 'ready');
    expect(ready.id).toMatch(/^\d+\.\d+$/);
    expect(ready.data).toEqual({ cursor: ready.id });
  });

  it("sends a change made through one replica to a browser on the other, once, with the record's new version and what changed", async () => {
    const stream = await feed(replicas[1].baseUrl, viewer);
    await stream.next((event) => event.event === 'ready');
    const segment = segments[0];
    const version = await edit(segment, 48);
    const change = await stream.next(isChangeOf(segment.id, version));
    expect(change.data).toEqual({
      entity: 'segment',
      id: segment.id,
      action: 'update',
      version,
      fields: expect.arrayContaining(['coreCount']),
      after: expect.objectContaining({ coreCount: 48 }),
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    // Nothing else came with it, and it came once.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(changes(stream).filter(isChangeOf(segment.id))).toHaveLength(1);
  });

  it('resumes after a reconnect to the other replica with Last-Event-ID: every change made meanwhile, in order, none twice', async () => {
    const first = await feed(replicas[1].baseUrl, viewer);
    await first.next((event) => event.event === 'ready');
    const [a, b, c] = segments.slice(1, 4);
    await first.next(isChangeOf(a.id, await edit(a, 12)));
    const resumeFrom = first.lastId()!;
    first.close();
    // Made while no stream was open.
    await edit(b, 24);
    await edit(c, 36);
    await edit(a, 72);
    const second = await feed(replicas[0].baseUrl, viewer, resumeFrom);
    expect(second.status).toBe(200);
    await second.next((event) => event.event === 'ready');
    await edit(b, 96);
    await second.next(isChangeOf(b.id, b.version));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const got = changes(second).map((event) => [(event.data as { id: string }).id, (event.data as { after: { coreCount: number } }).after.coreCount]);
    expect(got).toEqual([
      [b.id, 24],
      [c.id, 36],
      [a.id, 72],
      [b.id, 96],
    ]);
    const ids = changes(second).map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('holds back a change whose transaction committed before an older one: both arrive, in order, when the older commits', async () => {
    const stream = await feed(replicas[1].baseUrl, admin);
    await stream.next((event) => event.event === 'ready');
    const older = new Client({ connectionString: db.url });
    const newer = new Client({ connectionString: db.url });
    await older.connect();
    await newer.connect();
    try {
      const [olderId, newerId] = [randomUUID(), randomUUID()];
      const entry = (client: Client, label: string) =>
        client.query(`INSERT INTO audit_log (actor_label, action, entity_type, entity_id) VALUES ('test', 'update', 'segment', $1)`, [label]);
      await older.query('BEGIN');
      await entry(older, olderId);
      await newer.query('BEGIN');
      await entry(newer, newerId);
      await newer.query('COMMIT');
      // The newer one is committed, but a reader handed it now could miss the older one for good.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(changes(stream).map((event) => (event.data as { id: string }).id)).not.toContain(newerId);
      await older.query('COMMIT');
      await stream.next(isChangeOf(newerId));
      expect(
        changes(stream)
          .map((event) => (event.data as { id: string }).id)
          .filter((id) => id === olderId || id === newerId),
      ).toEqual([olderId, newerId]);
    } finally {
      await older.end();
      await newer.end();
    }
  });

  it('is not held back by a long transaction in another database on the same server', async () => {
    const stream = await feed(replicas[1].baseUrl, admin);
    await stream.next((event) => event.event === 'ready');
    // Another application's bulk load beside Serat: a transaction with an id, open for the whole test.
    const other = new Client({ connectionString: testSettings.adminDatabaseUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_current_xact_id()');
      const segment = segments[5];
      const sent = Date.now();
      await stream.next(isChangeOf(segment.id, await edit(segment, 60)), 5000);
      expect(Date.now() - sent).toBeLessThan(5000);
    } finally {
      await other.query('ROLLBACK');
      await other.end();
    }
  });

  it('keeps to the access rules: accounts reach admins only, and without their values', async () => {
    const viewing = await feed(replicas[1].baseUrl, viewer);
    const administering = await feed(replicas[1].baseUrl, admin);
    await viewing.next((event) => event.event === 'ready');
    await administering.next((event) => event.event === 'ready');
    const created = await fetch(`${replicas[0].baseUrl}/api/users`, {
      method: 'POST',
      headers: { ...bearer(admin), 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'baru@kotimkab.go.id', username: `baru-${randomBytes(2).toString('hex')}`, displayName: 'Pengguna Baru', role: 'viewer' }),
    });
    expect(created.status).toBe(201);
    const { user } = await created.json();
    const seen = await administering.next(isChangeOf(user.id));
    expect(seen.data).toEqual(expect.objectContaining({ entity: 'user', action: 'create', after: null, fields: expect.arrayContaining(['username', 'role']) }));
    expect(JSON.stringify(seen.data)).not.toContain('baru@kotimkab.go.id');
    // A change after it that the viewer may see: by then the user's would have come, had it been sent.
    const segment = segments[4];
    await viewing.next(isChangeOf(segment.id, await edit(segment, 8)));
    expect(changes(viewing).some((event) => (event.data as { entity: string }).entity === 'user')).toBe(false);
  });

  it('answers a cursor of another database with a resync from now, and a malformed one in the query with 400', async () => {
    const stream = await feed(replicas[0].baseUrl, viewer, '99999999.99999999');
    const resync = await stream.next((event) => event.event === 'resync');
    expect(resync.data).toEqual({ cursor: resync.id, reason: 'unknown-cursor' });
    const bad = await fetch(`${replicas[0].baseUrl}/api/events?lastEventId=kemarin`, { headers: { ...bearer(viewer), 'accept-language': 'en' } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toEqual(
      expect.objectContaining({ code: 'VALIDATION_FAILED', details: [{ field: 'lastEventId', problem: 'is the id of an event of this feed' }] }),
    );
    // The field's own problem in the reader's language too.
    const inIndonesian = await fetch(`${replicas[0].baseUrl}/api/events?lastEventId=kemarin`, { headers: { ...bearer(viewer), 'accept-language': 'id' } });
    expect((await inIndonesian.json()).error.details).toEqual([{ field: 'lastEventId', problem: 'harus id sebuah peristiwa dari umpan ini' }]);
  });
});

describe('the live feed, in-process with small limits', () => {
  let db: OpenTestDatabase;
  let api: RunningApi;
  let planner: string;
  let segment: { id: string; version: number };

  beforeAll(async () => {
    db = await openTestDatabase({ seeded: true });
    const config = testConfig(db.url);
    config.feedLimits = { maxReplay: 3, maxBurst: 4, heartbeatMs: 300 };
    api = await startApi(config);
    planner = await signIn(api.baseUrl, await createTestUser(db.dataSource, 'planner'));
    [segment] = await db.dataSource.query(`SELECT id::text, version FROM segments ORDER BY code LIMIT 1`);
  }, 60000);
  afterAll(async () => {
    await api?.close();
    await db?.close();
  }, 60000);

  const edit = async (coreCount: number) => {
    const response = await fetch(`${api.baseUrl}/api/segments/${segment.id}`, {
      method: 'PATCH',
      headers: { ...bearer(planner), 'content-type': 'application/json' },
      body: JSON.stringify({ coreCount, version: segment.version }),
    });
    expect(response.status).toBe(200);
    segment.version = (await response.json()).version;
  };

  it('tells a client that was away too long to reload instead of replaying, and goes on from there', async () => {
    const first = await openFeed(api.baseUrl, planner);
    await first.next((event) => event.event === 'ready');
    const from = first.lastId()!;
    first.close();
    for (const cores of [2, 4, 6, 8]) await edit(cores);
    const second = await openFeed(api.baseUrl, planner, from);
    try {
      const resync = await second.next((event) => event.event === 'resync');
      expect(resync.data).toEqual(expect.objectContaining({ reason: 'too-far-behind' }));
      expect(changes(second)).toEqual([]);
      await edit(10);
      const change = await second.next(isChangeOf(segment.id, segment.version));
      expect((change.data as { after: { coreCount: number } }).after.coreCount).toBe(10);
    } finally {
      second.close();
    }
  });

  it('sends one resync instead of a burst of changes (an import), then single changes again', async () => {
    const stream = await openFeed(api.baseUrl, planner);
    try {
      await stream.next((event) => event.event === 'ready');
      await db.dataSource.query(
        `INSERT INTO audit_log (actor_label, action, entity_type, entity_id) SELECT 'test', 'create', 'segment', gen_random_uuid()::text FROM generate_series(1, 10)`,
      );
      const resync = await stream.next((event) => event.event === 'resync');
      expect(resync.data).toEqual(expect.objectContaining({ reason: 'burst' }));
      expect(changes(stream)).toEqual([]);
      await edit(12);
      await stream.next(isChangeOf(segment.id, segment.version));
    } finally {
      stream.close();
    }
  });

  it('passes an entry that names no record by uuid with no version, and goes on (one odd row must not stop the feed)', async () => {
    const stream = await openFeed(api.baseUrl, planner);
    try {
      await stream.next((event) => event.event === 'ready');
      await db.dataSource.query(`INSERT INTO audit_log (actor_label, action, entity_type, entity_id) VALUES ('test', 'update', 'segment', 'bukan-uuid')`);
      const odd = await stream.next(isChangeOf('bukan-uuid'));
      expect(odd.data).toEqual(expect.objectContaining({ entity: 'segment', version: null, fields: [], after: {} }));
      await edit(14);
      await stream.next(isChangeOf(segment.id, segment.version));
    } finally {
      stream.close();
    }
  });

  it('ends the stream with signed-out when the session ends', async () => {
    const user = await createTestUser(db.dataSource, 'viewer');
    const token = await signIn(api.baseUrl, user);
    const stream = await openFeed(api.baseUrl, token);
    await stream.next((event) => event.event === 'ready');
    const logout = await fetch(`${api.baseUrl}/api/auth/logout`, { method: 'POST', headers: bearer(token) });
    expect(logout.status).toBe(204);
    await stream.next((event) => event.event === 'signed-out');
    await waitFor(async () => (stream.ended() ? true : undefined), 5000, 'the stream to end');
  });

  it('lets the api shut down with streams open (they end; browsers reconnect elsewhere)', async () => {
    const other = await startApi(testConfig(db.url));
    const stream = await openFeed(other.baseUrl, planner);
    await stream.next((event) => event.event === 'ready');
    await other.close();
    await waitFor(async () => (stream.ended() ? true : undefined), 5000, 'the stream to end');
  });
});
