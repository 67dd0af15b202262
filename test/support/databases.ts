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
