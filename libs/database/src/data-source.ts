import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';
import { guardTransactions } from './transaction-guard';

export interface DatabaseSettings {
  url: string;
  poolMax?: number;
  /** Shown to PostgreSQL as application_name, to tell api, worker and cli apart in pg_stat_activity. */
  applicationName?: string;
}

/** One definition of the connection for the api, the worker, the cli and the tests. */
export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    // No entities: every query is SQL in a repository (docs/decisions/0005-persistence-layer.md).
    entities: [],
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Extensions are created by the migrations (postgis), never behind their back at connect time.
    installExtensions: false,
    migrationsRun: false,
    applicationName: settings.applicationName ?? 'serat',
    // Fail fast instead of hanging when the server is unreachable.
    connectTimeoutMS: 5000,
    extra: { max: settings.poolMax ?? 10, idleTimeoutMillis: 30000 },
    // Failures reach the caller as exceptions and are logged there, with the request id.
    logging: false,
  };
}

/** A data source that refuses a second connection from inside one of its transactions (see guardTransactions). */
export function createDataSource(settings: DatabaseSettings): DataSource {
  return guardTransactions(new DataSource(dataSourceOptions(settings)));
}
