import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource } from '../data-source';
import { migrateUp } from '../migrate';

/** The migrated template every test file copies its own database from. */
export const TEMPLATE_DB = 'serat_test_template';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function dropDatabase(client: Client, name: string): Promise<void> {
  await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
  await client.query(`DROP DATABASE IF EXISTS "${name}"`);
}

/** Builds the template afresh: an empty database with every migration applied. */
export async function createTemplateDatabase(adminUrl: string): Promise<void> {
  await admin(adminUrl, async (client) => {
    await client.query(`UPDATE pg_database SET datistemplate = false WHERE datname = $1`, [TEMPLATE_DB]);
    await dropDatabase(client, TEMPLATE_DB);
    await client.query(`CREATE DATABASE "${TEMPLATE_DB}"`);
  });
  const dataSource = createDataSource({ url: withDatabase(adminUrl, TEMPLATE_DB), applicationName: 'serat-test-template' });
  await dataSource.initialize();
  try {
    await migrateUp(dataSource);
  } finally {
    await dataSource.destroy();
  }
  await admin(adminUrl, (client) => client.query(`UPDATE pg_database SET datistemplate = true WHERE datname = $1`, [TEMPLATE_DB]));
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A private copy of the migrated template for one test file; drop() removes it. */
export async function createTestDatabase(adminUrl: string, options: { template?: string | null } = {}): Promise<TestDatabase> {
  const name = `serat_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const template = options.template === undefined ? TEMPLATE_DB : options.template;
  await admin(adminUrl, (client) => client.query(template ? `CREATE DATABASE "${name}" TEMPLATE "${template}"` : `CREATE DATABASE "${name}"`));
  return {
    name,
    url: withDatabase(adminUrl, name),
    drop: () => admin(adminUrl, (client) => dropDatabase(client, name)),
  };
}
