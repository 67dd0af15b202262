import { DataSource } from 'typeorm';

/** Runs the pending migrations, each in its own transaction; returns the names it ran. */
export async function migrateUp(dataSource: DataSource): Promise<string[]> {
  const done = await dataSource.runMigrations({ transaction: 'each' });
  return done.map((migration) => migration.name);
}

/** True when every known migration has been applied. */
export async function isMigrated(dataSource: DataSource): Promise<boolean> {
  return !(await dataSource.showMigrations());
}
