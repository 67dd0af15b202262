export * from './guarded-lookup';
export * from './target-policy';
