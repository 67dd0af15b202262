export * from './bbox';
export * from './length';
