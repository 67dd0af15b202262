export * from './kotim-seed';
export * from './testing/test-templates';
export * from './generate-network';
export * from './generated-network';
