export * from './queue-contract';
export * from './bull-queue';
export * from './imports.jobs';
export * from './maintenance.jobs';
export * from './queue-options';
export * from './monitoring.jobs';
