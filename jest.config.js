/**
 * The test projects. `npm test` runs them all; one runs alone with `npx jest --selectProjects <name>`:
 *
 *   unit         *.spec.ts: pure code, no database, no Redis, no build (seconds)
 *   integration  *.integration.spec.ts: repositories and parts against real PostgreSQL/Redis
 *   e2e          test/*.e2e.spec.ts: the api and worker over HTTP against real PostgreSQL/Redis
 *   browser      test/*.browser.spec.ts: Debian's Chromium on the web app
 *   embedded     test/embedded.e2e.spec.ts: the main flows against `npm start` on PGlite
 *
 * The projects that touch PostgreSQL share one global setup (jest runs a set-up file once, however
 * many projects name it): it builds the migrated and the seeded template databases from the
 * compiled code, which is why `npm test` builds first.
 */
const base = {
  testEnvironment: 'node',
  rootDir: '.',
  transform: {
    // One set of settings for every file: ts-jest keeps the first settings it meets in a project
    // for all its transforms (a cache keyed by the jest config alone), so a second entry with the
    // web app's tsconfig compiled TSX without JSX whenever a server spec happened to come first in
    // the worker. tsconfig.jest.json is the server's tsconfig plus Preact's JSX, which only TSX uses.
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json', diagnostics: false }],
  },
  moduleNameMapper: { '^@serat/(config|contract|database|demo|domain|geo|jobs|monitoring|vocabulary)$': '<rootDir>/libs/$1/src' },
};
const ignored = ['/node_modules/', '/dist/'];
const withDatabase = {
  globalSetup: '<rootDir>/test/global-setup.js',
  globalTeardown: '<rootDir>/test/global-teardown.js',
};

module.exports = {
  testTimeout: 30000,
  // A test that leaves a socket or timer open must be fixed, not hidden.
  detectOpenHandles: false,
  forceExit: false,
  projects: [
    {
      ...base,
      displayName: 'unit',
      roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
      // The web app's component tests (apps/web/src/**/*.spec.tsx?) run here too, in a DOM
      // (jsdom) that each of them asks for in its docblock; no browser, no server.
      testRegex: '\\.spec\\.tsx?$',
      moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
      // jsdom resolves packages by their "browser" export, which for preact is an ES module jest
      // cannot load; the CommonJS build is the same code.
      testEnvironmentOptions: { customExportConditions: ['node', 'require', 'default'] },
      testPathIgnorePatterns: [...ignored, '\\.(integration|e2e|browser)\\.spec\\.ts$'],
    },
    {
      ...base,
      ...withDatabase,
      displayName: 'integration',
      roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
      testRegex: '\\.integration\\.spec\\.ts$',
      testPathIgnorePatterns: ignored,
    },
    {
      ...base,
      ...withDatabase,
      displayName: 'e2e',
      roots: ['<rootDir>/test'],
      testRegex: '\\.e2e\\.spec\\.ts$',
      testPathIgnorePatterns: [...ignored, '/embedded\\.e2e\\.spec\\.ts$'],
    },
    {
      ...base,
      ...withDatabase,
      displayName: 'browser',
      roots: ['<rootDir>/test'],
      testRegex: '\\.browser\\.spec\\.ts$',
      testPathIgnorePatterns: ignored,
    },
    {
      ...base,
      ...withDatabase,
      displayName: 'embedded',
      roots: ['<rootDir>/test'],
      testRegex: '/embedded\\.e2e\\.spec\\.ts$',
      testPathIgnorePatterns: ignored,
    },
  ],
};
