export * from './maintenance.jobs';
export * from './imports.jobs';
