export * from './guarded-lookup';
export * from './target-policy';
export * from './checks';
