import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Pool } from 'pg';
import { spawnEmbeddedDatabase } from './support/embedded-database';
import type { Spawned } from './support/processes';

/**
 * The embedded database as Serat's processes use it: many `pg` connections at once (a pool),
 * extended protocol (every parameterised query), transactions, and clients that go away.
 */
describe('the embedded database served to many connections', () => {
  let dir: string;
  let database: Spawned;
  const embedded = { url: '' };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'serat-bridge-'));
    const spawned = spawnEmbeddedDatabase(path.join(dir, 'pgdata'), 12);
    database = spawned;
    embedded.url = `postgres://postgres@127.0.0.1:${await spawned.port()}/postgres`;
    const setup = new Client({ connectionString: embedded.url });
    await setup.connect();
    await setup.query('CREATE TABLE marks (id serial PRIMARY KEY, label text NOT NULL)');
    await setup.end();
  }, 60000);

  afterAll(async () => {
    if (database) {
      database.child.kill('SIGTERM');
      await database.exited();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // The engine never failed underneath: every answer above came from PostgreSQL itself.
  afterEach(() => expect(database.output()).not.toContain('engine error'));

  const connect = async () => {
    const client = new Client({ connectionString: embedded.url });
    await client.connect();
    return client;
  };
  const count = async (client: Client | Pool) => (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM marks')).rows[0].n;

  it('gives every one of many concurrent parameterised queries its own answer', async () => {
    const pool = new Pool({ connectionString: embedded.url, max: 8 });
    try {
      // Each query's answer names its own parameters: an answer that went to the wrong
      // connection, or a Bind that met another connection's Parse, shows here.
      const asked = Array.from({ length: 400 }, (_, i) => i);
      const answers = await Promise.all(
        asked.map((i) => pool.query<{ n: number; label: string }>('SELECT $1::int AS n, $2::text AS label FROM generate_series(1, 1 + $1::int % 7)', [i, `q${i}`])),
      );
      answers.forEach((answer, i) => {
        expect(answer.rows).toHaveLength(1 + (i % 7));
        for (const row of answer.rows) expect(row).toEqual({ n: i, label: `q${i}` });
      });
    } finally {
      await pool.end();
    }
  }, 60000);

  it('gives the right answers to readers beside transactions that start and end among them', async () => {
    const pool = new Pool({ connectionString: embedded.url, max: 6 });
    const writers = await Promise.all(Array.from({ length: 3 }, () => connect()));
    try {
      // A writer's transaction begins while readers are mid-cycle, as the api's connectivity
      // refresh does beside the map's tile reads.
      const write = async (writer: Client, w: number) => {
        for (let round = 0; round < 15; round++) {
          await writer.query('BEGIN');
          const label = `w${w}-${round}`;
          const { rows } = await writer.query<{ id: number; label: string }>('INSERT INTO marks (label) VALUES ($1) RETURNING id, label', [label]);
          expect(rows).toEqual([{ id: expect.any(Number), label }]);
          expect((await writer.query<{ label: string }>('SELECT label FROM marks WHERE id = $1', [rows[0].id])).rows).toEqual([{ label }]);
          await writer.query(round % 3 === 0 ? 'ROLLBACK' : 'COMMIT');
        }
      };
      const read = async (r: number) => {
        for (let round = 0; round < 30; round++) {
          const n = r * 1000 + round;
          const { rows } = await pool.query<{ n: number; twice: number }>('SELECT $1::int AS n, $1::int * 2 AS twice', [n]);
          expect(rows).toEqual([{ n, twice: n * 2 }]);
        }
      };
      await Promise.all([...writers.map(write), ...Array.from({ length: 6 }, (_, r) => read(r))]);
      // Two of three rounds of each writer committed.
      expect((await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM marks WHERE label LIKE 'w%'")).rows[0].n).toBe(3 * 10);
    } finally {
      await Promise.all(writers.map((writer) => writer.end()));
      await pool.end();
    }
  }, 60000);

  it('keeps another connection out of an open transaction: it waits, then sees what was committed', async () => {
    const writer = await connect();
    const reader = await connect();
    try {
      const before = await count(reader);
      await writer.query('BEGIN');
      await writer.query('INSERT INTO marks (label) VALUES ($1)', ['in a transaction']);
      let seen: number | null = null;
      const reading = count(reader).then((n) => (seen = n));
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Not the writer's uncommitted row, and not a count taken inside its transaction.
      expect(seen).toBeNull();
      await writer.query('COMMIT');
      await reading;
      expect(seen).toBe(before + 1);
    } finally {
      await writer.end();
      await reader.end();
    }
  });

  it('undoes the transaction of a client that went away, and serves the others on', async () => {
    const other = await connect();
    const before = await count(other);
    for (const leave of ['terminate', 'drop the socket'] as const) {
      const quitter = await connect();
      quitter.on('error', () => undefined);
      await quitter.query('BEGIN');
      await quitter.query('INSERT INTO marks (label) VALUES ($1)', ['never committed']);
      const waiting = count(other);
      if (leave === 'terminate') await quitter.end();
      else (quitter as unknown as { connection: { stream: net.Socket } }).connection.stream.destroy();
      expect(await waiting).toBe(before);
    }
    // A parameterised query right after: no half-done cycle was left behind.
    expect((await other.query<{ x: number }>('SELECT $1::int AS x', [7])).rows).toEqual([{ x: 7 }]);
    await other.end();
  });

  it("answers a failing statement with PostgreSQL's error, on that connection only", async () => {
    const failing = await connect();
    const pool = new Pool({ connectionString: embedded.url, max: 4 });
    try {
      const [failure, ...others] = await Promise.allSettled([
        failing.query('SELECT $1::int / 0 AS x', [1]),
        ...Array.from({ length: 20 }, (_, i) => pool.query<{ i: number }>('SELECT $1::int AS i', [i])),
      ]);
      expect(failure).toMatchObject({ status: 'rejected', reason: { code: '22012' } });
      others.forEach((result, i) => expect(result).toEqual({ status: 'fulfilled', value: expect.objectContaining({ rows: [{ i }] }) }));
      // The failing connection goes on.
      expect((await failing.query<{ ok: boolean }>('SELECT true AS ok')).rows).toEqual([{ ok: true }]);
    } finally {
      await failing.end();
      await pool.end();
    }
  });

  it('refuses a connection beyond its limit the way PostgreSQL does', async () => {
    const held = await Promise.all(Array.from({ length: 12 }, () => connect()));
    try {
      const extra = new Client({ connectionString: embedded.url });
      await expect(extra.connect()).rejects.toMatchObject({ code: '53300' });
    } finally {
      await Promise.all(held.map((client) => client.end()));
    }
  });
});
