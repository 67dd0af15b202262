export * from './bbox';
export * from './length';
export * from './validate';
