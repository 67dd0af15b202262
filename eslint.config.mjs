import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeGlobals = {
  process: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', console: 'readonly',
  Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly', fetch: 'readonly',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'test-results/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
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
    // The data source, migrations and test-database helpers stand below the domain: the seed and
    // anything else needing both lives in libs/demo (docs/decisions/0005-persistence-layer.md).
    files: ['libs/database/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
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
    // The job contract is shared by the api and the worker: no Nest, no TypeORM, and only the types
    // of the queue library, so that a move to BullMQ stays a change of libs/jobs/src/bull-queue.ts
    // and the apps' Nest glue (see libs/jobs/src/queue-contract.ts).
    files: ['libs/jobs/**/*.ts'],
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
