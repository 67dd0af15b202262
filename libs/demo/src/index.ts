export * from './kotim-seed';
export * from './testing/test-templates';
