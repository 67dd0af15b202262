import { loadTestSettings } from '@serat/config';
import { createDataSource, createTestDatabase, templateName, TestDatabase } from '@serat/database';
import { seededTemplateName } from '@serat/demo';
import { DataSource } from 'typeorm';

export const testSettings = loadTestSettings();

export interface OpenTestDatabase extends TestDatabase {
  dataSource: DataSource;
  close(): Promise<void>;
}

/** A private database for one test file: migrated, and with the Kotim data when seeded is true. */
export async function openTestDatabase(options: { seeded?: boolean; migrated?: boolean } = {}): Promise<OpenTestDatabase> {
  const suffix = testSettings.templateSuffix;
  const template = options.migrated === false ? null : options.seeded ? seededTemplateName(suffix) : templateName(suffix);
  const database = await createTestDatabase(testSettings.adminDatabaseUrl, { template });
  const dataSource = createDataSource({ url: database.url, poolMax: 4, applicationName: 'serat-test' });
  await dataSource.initialize();
  return {
    ...database,
    dataSource,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await database.drop();
    },
  };
}

/** What a test file that needs only a database uses: there from its `beforeAll` on. */
export type UsedTestDatabase = Pick<OpenTestDatabase, 'name' | 'url' | 'dataSource'>;

/**
 * A private database for one test file, for specs that need no api: registers the file's
 * `beforeAll` (open) and `afterAll` (drop). `migrated: false` gives an empty database.
 */
export function useTestDatabase(options: { seeded?: boolean; migrated?: boolean } = {}): UsedTestDatabase {
  let db: OpenTestDatabase | null = null;
  beforeAll(async () => {
    db = await openTestDatabase(options);
  }, 60000);
  afterAll(async () => {
    await db?.close();
  }, 60000);
  const open = () => {
    if (db === null) throw new Error('the test database is not open (yet): use it inside a test or a later beforeAll');
    return db;
  };
  return {
    get name() {
      return open().name;
    },
    get url() {
      return open().url;
    },
    get dataSource() {
      return open().dataSource;
    },
  };
}
