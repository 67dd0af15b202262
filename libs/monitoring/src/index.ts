export * from './guarded-lookup';
export * from './target-policy';
export * from './checks';
export * from './monitor-state';
export * from './schedule';
