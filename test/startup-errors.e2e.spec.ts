import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { explainDatabaseError } from '@serat/database';
import { testSettings, useTestDatabase } from './support/databases';

const root = path.resolve(__dirname, '..');
const entry = (app: 'api' | 'worker' | 'cli') => path.join(root, 'dist', 'apps', app, 'src', 'main.js');

/** Runs a compiled entry point the way a user or a container would, and collects what it said. */
function run(app: 'api' | 'worker' | 'cli', env: Record<string, string>, args: string[] = []) {
  const result = spawnSync(process.execPath, [entry(app), ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', REDIS_URL: 'redis://127.0.0.1:9', ...env },
    encoding: 'utf8',
    timeout: 60000,
  });
  return { status: result.status, stderr: result.stderr.trim(), stdout: result.stdout.trim() };
}

describe('start-up with bad configuration or an unusable database', () => {
  it.each(['api', 'worker', 'cli'] as const)('%s: a malformed variable stops it with one line naming the variable, exit 2', (app) => {
    const result = run(app, { PORT: 'eighty', DATABASE_URL: 'postgres://x@127.0.0.1:1/x' }, app === 'cli' ? ['migrate'] : []);
    expect(result.status).toBe(2);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/PORT must be a whole number between 1 and 65535 \(got "eighty"\)/);
  });

  it.each(['api', 'worker'] as const)('%s: without DATABASE_URL it says how to run', (app) => {
    const result = run(app, {});
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/DATABASE_URL is not set\. Run `npm start`/);
  });

  it.each(['api', 'worker'] as const)('%s: an unreachable database gives one clear line and exit 1', (app) => {
    const result = run(app, { DATABASE_URL: 'postgres://serat:secret@127.0.0.1:1/serat' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`serat-${app}: Cannot reach PostgreSQL at postgres://serat:***@127.0.0.1:1/serat: connection refused. Start PostgreSQL or correct DATABASE_URL.`);
  });

  describe('against a database that is not migrated', () => {
    const db = useTestDatabase({ migrated: false });

    it('the api refuses to start and says to migrate', () => {
      const result = run('api', { DATABASE_URL: db.url });
      expect(result.status).toBe(1);
      expect(result.stderr).toBe('serat-api: The database is not migrated. Run: npm run migrate');
    });

    it('the cli seed refuses too', () => {
      const result = run('cli', { DATABASE_URL: db.url }, ['seed']);
      expect(result.status).toBe(1);
      expect(result.stderr).toBe('serat: The database is not migrated. Run: npm run migrate');
    });

    it('a missing extension is explained as what to install', async () => {
      // A real error from this server for an extension it does not have.
      const error = await db.dataSource.query(`CREATE EXTENSION postgis_not_installed_here`).catch((e: unknown) => e);
      expect(explainDatabaseError(error, db.url)).toMatch(/^PostGIS is not installed on the PostgreSQL server at .*apt-get install postgresql-15-postgis-3/);
    });
  });

  describe('with a weak SERAT_ADMIN_PASSWORD, on a database without an admin', () => {
    const db = useTestDatabase({ seeded: false });

    it.each([
      ['Kadis-Serat-2026', 'it contains the name of the account (from SERAT_ADMIN_EMAIL)'],
      ['Pendek-1', 'it has fewer than 10 characters'],
      ['tigadaerahkotim', 'it has fewer than 16 characters and mixes fewer than three kinds (lower case, upper case, digits, symbols)'],
      [
        'katasandi123',
        'it has fewer than 16 characters and mixes fewer than three kinds (lower case, upper case, digits, symbols), and it is one of the passwords people choose first',
      ],
    ])('the api stops on "%s" with one line saying why, exit 2', (password, why) => {
      // A port nobody uses, in case it started after all.
      const result = run('api', { DATABASE_URL: db.url, PORT: '39713', SERAT_ADMIN_EMAIL: 'kadis.serat@kotimkab.go.id', SERAT_ADMIN_PASSWORD: password });
      expect(result.stderr).toBe(
        `serat-api: Invalid configuration: SERAT_ADMIN_PASSWORD is too weak: ${why}; ` +
          'use at least 10 characters mixing three kinds (or 16 of any kind), not a common password and not the name in SERAT_ADMIN_EMAIL',
      );
      expect(result.status).toBe(2);
    });
  });

  it('a database that does not exist is named as such', () => {
    const url = new URL(testSettings.adminDatabaseUrl);
    url.pathname = '/serat_no_such_db';
    const result = run('cli', { DATABASE_URL: url.toString() }, ['migrate']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/does not exist\. Create it \(createdb\) or correct DATABASE_URL/);
  });

  it('an unknown command shows the usage', () => {
    const result = run('cli', {}, ['frobnicate']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown command "frobnicate"[\s\S]*Usage:/);
  });
});
