/**
 * The layers that eslint.config.mjs keeps (STYLE.md, "Layout shows the architecture"): apps never
 * import one another, libs never import apps, libs/geo and libs/jobs nothing of Nest or TypeORM,
 * libs/database nothing of the domain, the web app no server code but the shared vocabulary and the
 * contract, and libs/contract nothing but the vocabulary.
 * Each probe is a line of source linted as if it stood at a path, through the repository's own
 * config, so a block that stops matching its files (or one that overrides another) fails here.
 *
 * ESLint loads its config with import(), which jest's CommonJS runtime refuses, so the probes run
 * in one node process of their own. Without type information (the import rules need none) that
 * takes a few seconds instead of building the TypeScript programs.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '..');

interface Probe {
  file: string;
  code: string;
  /** The rule and the part of its message that says which boundary; none for an allowed import. */
  refused: { rule: string; says: string } | null;
}

const APPS_APART = 'apps never import one another';
const NO_APPS = 'libs never import apps';
const WEB = 'The web app imports no server code';
const CONTRACT = 'libs/contract imports nothing but its own files and libs/vocabulary';

const refused = (rule: string, says: string) => ({ rule, says });
const plain = 'no-restricted-imports';

const PROBES: Probe[] = [
  // apps ↛ apps, whichever way the path is written, and through a re-export as well
  { file: 'apps/api/src/probe.ts', code: "export { createWorker } from '../../worker/src/create-worker';", refused: refused(plain, `${APPS_APART} (here apps/worker)`) },
  { file: 'apps/api/src/map/probe.ts', code: "import '../../../cli/src/commands';", refused: refused(plain, `${APPS_APART} (here apps/cli)`) },
  { file: 'apps/worker/src/probe.ts', code: "export { createApp } from '../../api/src/create-app';", refused: refused(plain, `${APPS_APART} (here apps/api)`) },
  { file: 'apps/cli/src/probe.ts', code: "export * from '../../../apps/api/src/main';", refused: refused(plain, `${APPS_APART} (here apps/api)`) },
  { file: 'apps/cli/src/probe.ts', code: "import '../../web/src/main';", refused: refused(plain, `${APPS_APART} (here apps/web)`) },
  { file: 'apps/api/src/probe.ts', code: "export { DomainError } from '@serat/domain';\nexport { ApiError } from './http/api-error';", refused: null },
  { file: 'apps/worker/src/probe.ts', code: "export { createDataSource } from '@serat/database';", refused: null },
  // test/ may use any app
  { file: 'test/probe.spec.ts', code: "export { createApp } from '../apps/api/src/create-app';\nexport { createWorker } from '../apps/worker/src/create-worker';", refused: null },
  // libs ↛ apps
  { file: 'libs/domain/src/network/probe.ts', code: "export { createApp } from '../../../../apps/api/src/create-app';", refused: refused(plain, NO_APPS) },
  { file: 'libs/database/src/probe.ts', code: "import '../../../apps/worker/src/main';", refused: refused(plain, NO_APPS) },
  { file: 'libs/jobs/src/probe.ts', code: "import '../../../apps/worker/src/main';", refused: refused(plain, NO_APPS) },
  { file: 'libs/geo/src/probe.ts', code: "import '../../../apps/api/src/main';", refused: refused(plain, NO_APPS) },
  // libs/geo: no Nest, no TypeORM, nothing of the layers above it
  { file: 'libs/geo/src/probe.ts', code: "export { Injectable } from '@nestjs/common';", refused: refused(plain, 'no Nest, no TypeORM') },
  { file: 'libs/geo/src/import/probe.ts', code: "export { DataSource } from 'typeorm';", refused: refused(plain, 'no Nest, no TypeORM') },
  { file: 'libs/geo/src/probe.ts', code: "export { DomainError } from '@serat/domain';", refused: refused(plain, 'libs/geo stands below the domain') },
  {
    file: 'libs/geo/src/export/probe.ts',
    code: "export * from '../../../domain/src/network/network-edit.repository';",
    refused: refused(plain, 'libs/geo stands below the domain'),
  },
  { file: 'libs/geo/src/probe.ts', code: "export * as turf from '@turf/turf';", refused: null },
  // libs/jobs: the contract only (its own block, with the typescript rule)
  {
    file: 'libs/jobs/src/probe.ts',
    code: "export { Injectable } from '@nestjs/common';",
    refused: refused('@typescript-eslint/no-restricted-imports', 'libs/jobs holds the contract only'),
  },
  {
    file: 'libs/jobs/src/probe.ts',
    code: "export { DataSource } from 'typeorm';",
    refused: refused('@typescript-eslint/no-restricted-imports', 'libs/jobs holds the contract only'),
  },
  { file: 'libs/jobs/src/probe.ts', code: "export type { Queue } from 'bull';", refused: null },
  // libs/database below the domain
  { file: 'libs/database/src/probe.ts', code: "export { DomainError } from '@serat/domain';", refused: refused(plain, 'libs/database may not import libs/domain or libs/demo') },
  { file: 'libs/database/src/probe.ts', code: "export { seedKotim } from '../../demo/src';", refused: refused(plain, 'libs/database may not import libs/domain or libs/demo') },
  // the web app: the vocabulary and the contract lib, nothing else of the server
  {
    file: 'apps/web/src/probe.ts',
    code: [
      "export { NETWORK_STATUSES } from '../../../libs/vocabulary/src/network-vocabulary';",
      "export { judgeMove } from '../../../libs/vocabulary/src/status-lifecycle';",
      "export * from '../../../libs/contract/src';",
      "export * from '@serat/contract';",
      "export { fetchJson } from './api';",
    ].join('\n'),
    refused: null,
  },
  // Leaflet in the map module only
  { file: 'apps/web/src/map/probe.ts', code: ["export * as L from 'leaflet';", "export * from '../../../../libs/contract/src';"].join('\n'), refused: null },
  { file: 'apps/web/src/features/planner/probe.ts', code: "export * as L from 'leaflet';", refused: refused(plain, 'Leaflet stays in apps/web/src/map/') },
  { file: 'apps/web/src/map/probe.ts', code: "export * from '@serat/domain';", refused: refused(plain, WEB) },
  { file: 'apps/web/src/probe.ts', code: "export * from '../../../libs/domain/src/network/network-edit.repository';", refused: refused(plain, WEB) },
  { file: 'apps/web/src/probe.ts', code: "export * from '../../../libs/config/src';", refused: refused(plain, WEB) },
  { file: 'apps/web/src/probe.ts', code: "export * from '@serat/domain';", refused: refused(plain, WEB) },
  { file: 'apps/web/src/probe.ts', code: "export { Injectable } from '@nestjs/common';", refused: refused(plain, 'no server packages') },
  { file: 'apps/web/src/probe.ts', code: "export * from '../../api/src/http/messages';", refused: refused(plain, `${APPS_APART} (here apps/api)`) },
  // libs/contract goes into the browser bundle: its own files and the network vocabulary only
  {
    file: 'libs/contract/src/probe.ts',
    code: ["export type { NetworkStatus } from '../../vocabulary/src/network-vocabulary';", "export * from './map';"].join('\n'),
    refused: null,
  },
  { file: 'libs/contract/src/probe.ts', code: "export * from '@serat/vocabulary';", refused: refused(plain, CONTRACT) },
  { file: 'libs/contract/src/probe.ts', code: "export { DomainError } from '@serat/domain';", refused: refused(plain, CONTRACT) },
  { file: 'libs/contract/src/probe.ts', code: "export type { Point } from 'geojson';", refused: refused(plain, CONTRACT) },
  { file: 'libs/contract/src/probe.ts', code: "export * from '../../../apps/api/src/main';", refused: refused(plain, CONTRACT) },
];

/**
 * Lints each probe's text at its path with eslint.config.mjs, the type-aware rules switched off,
 * and prints the messages as JSON (one list per probe).
 */
const LINT_PROBES = `
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
const probes = JSON.parse(process.argv[1]);
const eslint = new ESLint({ overrideConfig: [{ files: ['**/*.{ts,tsx}'], ...tseslint.configs.disableTypeChecked }] });
const out = [];
for (const { file, code } of probes) {
  const [result] = await eslint.lintText(code + '\\n', { filePath: file, warnIgnored: true });
  out.push(result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
}
process.stdout.write(JSON.stringify(out));
`;

describe('the layers the linter keeps', () => {
  let found: { ruleId: string | null; message: string }[][];
  beforeAll(async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', LINT_PROBES, JSON.stringify(PROBES)], { cwd: ROOT });
    found = JSON.parse(stdout);
  }, 60_000);

  it.each(PROBES.map((probe, index) => [probe.file, probe.code.split('\n')[0], probe, index] as const))('%s: %s', (_file, _line, probe, index) => {
    const expected = probe.refused ? [{ ruleId: probe.refused.rule, message: expect.stringContaining(probe.refused.says) }] : [];
    expect(found[index]).toEqual(expected);
  });
});
