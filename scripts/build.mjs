#!/usr/bin/env node
// Builds what changed since the last build: the server (tsc + path aliases) and the web app (vite),
// each only when a hash of its inputs differs from the one stored with its output. `npm start`
// and `npm test` call it, so a start with nothing changed does not spend half a minute compiling.
// `npm run build` (or `node scripts/build.mjs --force`) builds everything.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const force = process.argv.includes('--force');
// --only server|web: one of them (npm run build:server, build:web), through the same stamps, so
// that no build ever leaves a stamp that does not describe what is in dist/.
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

/** Every file under dir (relative to root) whose name passes keep, sorted, skipping generated folders. */
function files(dir, keep) {
  const out = [];
  const walk = (at) => {
    if (!fs.existsSync(path.join(root, at))) return;
    for (const entry of fs.readdirSync(path.join(root, at), { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      const rel = path.join(at, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (keep(rel)) out.push(rel);
    }
  };
  walk(dir);
  return out.sort();
}

const shared = ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build.mjs'];
const notTest = (rel) => !/\.(spec|testing)\.ts$/.test(rel);
const targets = [
  {
    name: 'server',
    outputs: ['dist/apps/cli/src/main.js', 'dist/apps/api/src/main.js', 'dist/apps/worker/src/main.js'],
    inputs: () => [...shared, 'tsconfig.build.json', ...['apps/api', 'apps/worker', 'apps/cli', 'libs'].flatMap((d) => files(d, notTest))],
    build: () => {
      execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
      execFileSync(bin('tsc-alias'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
    },
  },
  {
    name: 'web',
    outputs: ['dist/web/index.html'],
    // The web app imports the lifecycle and vocabulary from libs/vocabulary.
    inputs: () => [...shared, ...files('apps/web', () => true), ...files('libs', notTest)],
    build: () => execFileSync(bin('vite'), ['build', '--config', 'apps/web/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' }),
  },
];

function hashOf(inputs) {
  const hash = createHash('sha256');
  for (const rel of inputs) {
    if (!fs.existsSync(path.join(root, rel))) continue;
    hash
      .update(rel)
      .update('\0')
      .update(fs.readFileSync(path.join(root, rel)))
      .update('\0');
  }
  return hash.digest('hex');
}

if (only && !targets.some((t) => t.name === only)) throw new Error(`--only takes ${targets.map((t) => t.name).join(' or ')}`);
for (const target of targets) {
  if (only && target.name !== only) continue;
  const stamp = path.join(root, 'dist', `.built-${target.name}`);
  const hash = hashOf(target.inputs());
  const current = target.outputs.every((output) => fs.existsSync(path.join(root, output))) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash;
  if (current && !force) continue;
  const started = Date.now();
  // The stamp goes first so that a failed build is never taken for a finished one.
  fs.rmSync(stamp, { force: true });
  target.build();
  fs.mkdirSync(path.dirname(stamp), { recursive: true });
  fs.writeFileSync(stamp, hash);
  process.stdout.write(`serat: built the ${target.name} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
