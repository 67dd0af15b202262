/** One jest run for unit (*.spec.ts), integration (*.integration.spec.ts), end-to-end and browser tests. */
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testRegex: '\\.spec\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/apps/web/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }] },
  moduleNameMapper: { '^@serat/(config|database|demo|domain|geo|jobs)$': '<rootDir>/libs/$1/src' },
  globalSetup: '<rootDir>/test/global-setup.js',
  globalTeardown: '<rootDir>/test/global-teardown.js',
  testTimeout: 30000,
  // A test that leaves a socket or timer open must be fixed, not hidden.
  detectOpenHandles: false,
  forceExit: false,
};
