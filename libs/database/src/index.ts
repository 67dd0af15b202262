export * from './data-source';
export * from './database-errors';
export * from './database.module';
export * from './embedded/embedded-postgres';
export * from './migrate';
export * from './seed/kotim-seed';
export * from './testing/test-database';
export * from './preflight';
