export * from './bbox';
export * from './length';
export * from './snapping';
export * from './validate';
export * from './import';
export * from './export';
export * from './report';
