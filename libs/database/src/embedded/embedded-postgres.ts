import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as lockfile from 'proper-lockfile';
import { WireBridge } from './wire-bridge';

/** A failure to open the embedded database whose message says what to do (shown as one line). */
export class EmbeddedDatabaseError extends Error {}

export class EmbeddedDatabaseLockedError extends EmbeddedDatabaseError {
  constructor(readonly dir: string) {
    super(
      `The embedded database in ${dir} is already open in another Serat process. ` +
        'Stop that process first (only one may open it), or set DATABASE_URL to use a PostgreSQL server.',
    );
    this.name = 'EmbeddedDatabaseLockedError';
  }
}

export interface EmbeddedPostgresOptions {
  /** Folder of the PGlite data files; created when missing. */
  dir: string;
  /** TCP port on 127.0.0.1 for the PostgreSQL wire protocol; 0 (the default) picks a free one, so two installations never collide. */
  port: number;
  /** Connections open at once; one more is refused (PGlite serves one request cycle at a time anyway). */
  maxConnections?: number;
  /** The engine failed on one connection (closed; the others go on). */
  onError?: (error: Error) => void;
}

/**
 * PostgreSQL with PostGIS, embedded (PGlite, WebAssembly), served on a loopback port so that
 * the api, the worker and the migrations use the ordinary `pg` driver and the very same SQL as
 * against a PostgreSQL server. A lock file keeps a second process from opening the same files.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: WireBridge,
    private readonly releaseLock: () => Promise<void>,
    readonly port: number,
    readonly dir: string,
  ) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  static async start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
    const dir = path.resolve(options.dir);
    fs.mkdirSync(dir, { recursive: true });
    let release: () => Promise<void>;
    try {
      // The lock is refreshed every few seconds; one left by a killed process goes stale and is taken over.
      release = await lockfile.lock(dir, { stale: 15000, update: 5000, retries: 0, realpath: false, lockfilePath: `${dir}.lock` });
    } catch (error) {
      if ((error as { code?: string }).code === 'ELOCKED') throw new EmbeddedDatabaseLockedError(dir);
      throw error;
    }
    try {
      const db = await PGlite.create({ dataDir: dir, extensions: { postgis } });
      // Port 0: the system gives a free one when the server listens (no window between asking and listening).
      const server = new WireBridge(db, { host: '127.0.0.1', port: options.port, maxConnections: options.maxConnections ?? 32, onError: options.onError });
      let port: number;
      try {
        port = await server.listen();
      } catch (error) {
        await db.close();
        if ((error as { code?: string }).code === 'EADDRINUSE') {
          throw new EmbeddedDatabaseError(
            `Port ${options.port} for the embedded database is taken by another program. Set SERAT_EMBEDDED_DB_PORT to a free port, or leave it unset (0) to pick one.`,
          );
        }
        throw error;
      }
      return new EmbeddedPostgres(db, server, release, port, dir);
    } catch (error) {
      await release().catch(() => undefined);
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.server.close().catch(() => undefined);
    await this.db.close().catch(() => undefined);
    await this.releaseLock().catch(() => undefined);
  }
}
