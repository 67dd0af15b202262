import { createDataSource } from './data-source';
import { explainDatabaseError } from './database-errors';
import { isMigrated } from './migrate';

/**
 * Checks, before an application is built, that the database answers and is migrated.
 * Returns null when all is well, else one line saying what to do.
 */
export async function checkDatabaseReady(url: string, applicationName: string): Promise<string | null> {
  const probe = createDataSource({ url, poolMax: 1, applicationName });
  try {
    await probe.initialize();
    return (await isMigrated(probe)) ? null : 'The database is not migrated. Run: npm run migrate';
  } catch (error) {
    return explainDatabaseError(error, url);
  } finally {
    if (probe.isInitialized) await probe.destroy();
  }
}
