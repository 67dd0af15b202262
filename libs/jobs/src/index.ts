export * from './maintenance.jobs';
export * from './imports.jobs';
export * from './queue-options';
