import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createDataSource } from '../data-source';
import { migrateUp } from '../migrate';

/** The migrated template every test file copies its own database from; one per test run (suffix). */
export const templateName = (suffix: string) => `serat_tpl_${suffix}`;

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

/**
 * Makes the template database `name` afresh (empty, or a copy of the template `from`), lets `work`
 * fill it through a data source, then marks it a template. The seeded template is built with it
 * in libs/demo, which this lib does not import.
 */
export async function buildTemplateDatabase(adminUrl: string, name: string, from: string | null, work: (dataSource: DataSource) => Promise<unknown>): Promise<void> {
  await admin(adminUrl, async (client) => {
    await client.query(`UPDATE pg_database SET datistemplate = false WHERE datname = $1`, [name]);
    await dropDatabase(client, name);
    await client.query(from ? `CREATE DATABASE "${name}" TEMPLATE "${from}"` : `CREATE DATABASE "${name}"`);
  });
  const dataSource = createDataSource({ url: withDatabase(adminUrl, name), applicationName: 'serat-test-template' });
  await dataSource.initialize();
  try {
    await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
  await admin(adminUrl, (client) => client.query(`UPDATE pg_database SET datistemplate = true WHERE datname = $1`, [name]));
}

/** Builds the migrated template afresh: every migration applied to an empty database. */
export async function createMigratedTemplate(adminUrl: string, suffix: string): Promise<void> {
  await buildTemplateDatabase(adminUrl, templateName(suffix), null, migrateUp);
}

/** Removes a template database (each test file drops its own copy). */
export async function dropTemplateDatabase(adminUrl: string, name: string): Promise<void> {
  await admin(adminUrl, async (client) => {
    await client.query(`UPDATE pg_database SET datistemplate = false WHERE datname = $1`, [name]);
    await dropDatabase(client, name);
  });
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A private copy of the migrated template for one test file; drop() removes it. */
export async function createTestDatabase(adminUrl: string, options: { template: string | null }): Promise<TestDatabase> {
  const name = `serat_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const template = options.template;
  await admin(adminUrl, (client) => client.query(template ? `CREATE DATABASE "${name}" TEMPLATE "${template}"` : `CREATE DATABASE "${name}"`));
  return {
    name,
    url: withDatabase(adminUrl, name),
    drop: () => admin(adminUrl, (client) => dropDatabase(client, name)),
  };
}
