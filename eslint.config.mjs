import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const APPS = ['api', 'worker', 'cli', 'web'];

/**
 * no-restricted-imports patterns against importing another app. Imports are matched as written, and
 * there are no aliases for apps, so another app is reached as `../../worker/src/…` from inside an app
 * or as `…/apps/worker/…` from further up. A group names a folder as .gitignore does: whatever lies
 * under it matches too.
 */
const notOtherApps = (self) =>
  APPS.filter((app) => app !== self).map((app) => ({
    group: [`**/apps/${app}`, `**/${app}/src`],
    message: `apps never import one another (here apps/${app}): move what both need into a lib.`,
  }));

const notApps = { group: ['**/apps'], message: 'libs never import apps: the apps import libs.' };

const nodeGlobals = {
  process: 'readonly',
  require: 'readonly',
  module: 'writable',
  __dirname: 'readonly',
  console: 'readonly',
  Buffer: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  URL: 'readonly',
  fetch: 'readonly',
  structuredClone: 'readonly',
  Blob: 'readonly',
};

/** What the web app may not import from the server. */
const WEB_PATTERNS = [
  ...notOtherApps('web'),
  {
    regex: '(^|/)libs/(?!contract(/|$)|vocabulary/src/(network-vocabulary|status-lifecycle)$)',
    message: 'The web app imports no server code but the shared vocabulary (libs/vocabulary/src/network-vocabulary, status-lifecycle) or libs/contract.',
  },
  { group: ['@serat/*', '!@serat/contract'], message: 'The web app imports no server code but the shared vocabulary or libs/contract.' },
  { group: ['@nestjs/*', 'typeorm', 'pg', 'bull', 'ioredis'], message: 'The web app runs in the browser: no server packages.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'test-results/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Prettier owns line breaks and ends every statement with a semicolon, so no line can run on into
      // the next unseen; it does break a chain before a computed call (`sharp(…)\n  [format]()`),
      // which this rule would refuse.
      'no-unexpected-multiline': 'off',
      // A focused or skipped test silences the rest of the suite.
      'no-restricted-properties': [
        'error',
        ...['describe', 'it', 'test'].flatMap((object) => [
          { object, property: 'only', message: 'Do not commit focused tests.' },
          { object, property: 'skip', message: 'Do not commit skipped tests; make them run or delete them.' },
        ]),
      ],
    },
  },
  {
    // Settings come from the config lib only, parsed and validated once.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['libs/config/**', 'apps/web/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Read settings through @serat/config, not process.env.' },
      ],
    },
  },
  {
    // Type-aware rules, each file checked against the program of its own tsconfig (the web app has
    // its own). A promise nobody awaits loses its error and its ordering; a switch over a union
    // must say what happens to every member, so a new status or role cannot slip into a default.
    files: ['**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: {
        // The Vite config belongs to no tsconfig: it gets the root one's options.
        projectService: { allowDefaultProject: ['apps/web/vite.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
    },
  },
  // The layers. In a flat config a later block's no-restricted-imports replaces an earlier one's for
  // the same file, so each file falls in exactly one of these blocks (libs/jobs uses the typescript
  // rule as well, for its type-only allowance).
  ...['api', 'worker', 'cli'].map((app) => ({
    files: [`apps/${app}/**/*.{ts,tsx}`],
    rules: { 'no-restricted-imports': ['error', { patterns: notOtherApps(app) }] },
  })),
  // The browser bundle takes from the server only its shared words: the network vocabulary and
  // the status lifecycle in libs/vocabulary, and the contract (answer shapes, status colours and
  // labels) in libs/contract; none of them imports anything at run time but each other. Leaflet
  // stays in apps/web/src/map/: the features work with [lon, lat] and signals, the map draws them.
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    ignores: ['apps/web/src/map/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...WEB_PATTERNS,
            {
              regex: '^leaflet(/(?!dist/leaflet\\.css$).*)?$',
              message: 'Leaflet stays in apps/web/src/map/: give the map module what to draw ([lon, lat], signals) instead.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/web/src/map/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: WEB_PATTERNS }] },
  },
  {
    files: ['libs/**/*.{ts,tsx}'],
    ignores: ['libs/database/**', 'libs/geo/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [notApps] }] },
  },
  {
    // Pure turf/GeoJSON helpers that the domain builds on: nothing of Nest or the database.
    files: ['libs/geo/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            notApps,
            { group: ['@nestjs/*', 'typeorm', 'pg'], message: 'libs/geo is pure geometry: no Nest, no TypeORM, no database driver.' },
            {
              group: ['@serat/database', '@serat/domain', '@serat/demo', '**/database/src', '**/domain/src', '**/demo/src'],
              message: 'libs/geo stands below the domain and the database: they import it, not the other way round.',
            },
          ],
        },
      ],
    },
  },
  {
    // The data source, migrations and test-database helpers stand below the domain: the seed and
    // anything else needing both lives in libs/demo (docs/decisions/0005-persistence-layer.md).
    files: ['libs/database/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            notApps,
            { group: ['@serat/domain', '@serat/domain/*', '@serat/demo', '@serat/demo/*'], message: 'libs/database may not import libs/domain or libs/demo.' },
            { group: ['**/domain/src', '**/domain/src/**', '**/demo/src', '**/demo/src/**'], message: 'libs/database may not import libs/domain or libs/demo.' },
          ],
        },
      ],
    },
  },
  {
    // The words of the network and the lifecycle go into the browser bundle as well (apps/web):
    // they import nothing but each other.
    files: ['libs/vocabulary/**/*.ts'],
    ignores: ['libs/vocabulary/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!\\./)', message: 'libs/vocabulary imports nothing but its own files: the web app bundles it.' }] }],
    },
  },
  {
    // The contract with the web app goes into the browser bundle whole: it imports nothing but its
    // own files and the shared vocabulary (relative, so that Vite needs no alias for it).
    files: ['libs/contract/**/*.ts'],
    ignores: ['libs/contract/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\./|\\.\\./\\.\\./vocabulary/src/network-vocabulary$)',
              message: 'libs/contract imports nothing but its own files and libs/vocabulary/src/network-vocabulary: the web app bundles it.',
            },
          ],
        },
      ],
    },
  },
  {
    // The job contract is shared by the api and the worker: no Nest, no TypeORM, and only the types
    // of the queue library, so that a move to BullMQ stays a change of libs/jobs/src/bull-queue.ts
    // and the apps' Nest glue (see libs/jobs/src/queue-contract.ts).
    files: ['libs/jobs/**/*.{ts,tsx}'],
    ignores: ['libs/jobs/**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*', 'typeorm', '@serat/*'], message: 'libs/jobs holds the contract only; put Nest and database code in the apps.' },
            { group: ['bull', 'bullmq', 'ioredis'], allowTypeImports: true, message: 'libs/jobs takes its queues from the apps: import their types only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: nodeGlobals },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: nodeGlobals },
  },
);
