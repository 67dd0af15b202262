// Every benchmark in bench/ at its standard size, one after another, then bench/RESULTS.md written
// from their results (`npm run bench`). Each benchmark runs as its own process, exactly as it runs
// alone, and prints its result as its last line (bench/support/result.mjs); one that exits
// non-zero, times out or prints no result is reported as failed in RESULTS.md and makes this exit 1.
// A target not met is a figure like any other, not a failure.
//
// Needs what the benchmarks need: the test PostgreSQL+PostGIS and Redis (SERAT_TEST_DATABASE_URL,
// SERAT_TEST_REDIS_URL, as the tests), and ogr2ogr (Debian gdal-bin). Builds first (scripts/build.mjs).
// Usage: node bench/run-all.mjs [--only=name,name] [--no-build]
//   --only runs some of them and writes its report to a temporary file instead of RESULTS.md.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseResult } from './support/result.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const require = createRequire(import.meta.url);
const resultsPath = path.join(here, 'RESULTS.md');

// The standard sizes: those the issues' targets name, and together about 8 minutes on the
// 2-core development machine. Cheap ones first; the cold start last, since it rebuilds dist/.
const BENCHMARKS = [
  { name: 'export', args: ['100000'] },
  { name: 'geometry-validate', args: ['--runs=5'] },
  { name: 'status-change', args: ['500'] },
  { name: 'read-endpoints', args: ['200'] },
  { name: 'import', args: ['10000'] },
  { name: 'connectivity', args: ['50000'] },
  // Generates its 100,000-segment network first (one and a half to five minutes here, by the load), hence its own time limit.
  { name: 'progress', args: ['--segments', '100000', '--runs', '30'], timeoutMs: 15 * 60 * 1000 },
  { name: 'web-first-load', args: ['--runs=3'] },
  { name: 'map-scale', args: ['--runs', '30'] },
  { name: 'cold-start', args: [] },
];
const TIMEOUT_MS = 6 * 60 * 1000;

const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const only = onlyArg ? onlyArg.slice('--only='.length).split(',') : null;
const build = !process.argv.includes('--no-build');

// A benchmark added to bench/ without a size here would silently be left out of every run.
const files = fs
  .readdirSync(here)
  // generate.mjs makes data for benchmarks (npm run bench:generate); it measures nothing itself.
  .filter((f) => f.endsWith('.mjs') && f !== 'run-all.mjs' && f !== 'generate.mjs')
  .map((f) => f.slice(0, -'.mjs'.length));
const unlisted = files.filter((f) => !BENCHMARKS.some((b) => b.name === f));
const missing = [...BENCHMARKS.map((b) => b.name).filter((n) => !files.includes(n)), ...(only ?? []).filter((n) => !files.includes(n))];
if (unlisted.length || missing.length) {
  console.error(
    [
      unlisted.length && `bench/run-all.mjs: not in its list (add each with its size): ${unlisted.join(', ')}`,
      missing.length && `bench/run-all.mjs: no such benchmark: ${missing.join(', ')}`,
    ]
      .filter(Boolean)
      .join('\n'),
  );
  process.exit(2);
}
const selected = only ? BENCHMARKS.filter((b) => only.includes(b.name)) : BENCHMARKS;

const startedAt = new Date();
const started = process.hrtime.bigint();
const seconds = (since) => Number(process.hrtime.bigint() - since) / 1e9;
const duration = (s) => (s < 60 ? `${s.toFixed(0)} s` : `${Math.floor(s / 60)} min ${String(Math.round(s % 60)).padStart(2, '0')} s`);

/** What the figures were measured on, each item asked for on its own so that one missing says so and the rest still show. */
async function machine() {
  const ask = async (run) => {
    try {
      return await run();
    } catch (error) {
      return `unavailable (${String(error.message ?? error).split('\n')[0]})`;
    }
  };
  const cpus = os.cpus();
  // The same settings the benchmarks read (from dist/, so after the build).
  const settings = () => require('../dist/libs/config/src').loadTestSettings();
  const postgres = await ask(async () => {
    const { adminDatabaseUrl } = settings();
    const { Client } = require('pg');
    const client = new Client({ connectionString: adminDatabaseUrl });
    await client.connect();
    try {
      const [{ server_version: version }] = (await client.query('SHOW server_version')).rows;
      const postgis = (await client.query(`SELECT default_version FROM pg_available_extensions WHERE name = 'postgis'`)).rows[0]?.default_version;
      return `${version}, PostGIS ${postgis ?? 'not installed'}`;
    } finally {
      await client.end();
    }
  });
  const redis = await ask(async () => {
    const { redisUrl } = settings();
    const Redis = require('ioredis');
    const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
    await client.connect();
    try {
      return /redis_version:(\S+)/.exec(await client.info('server'))?.[1] ?? 'unknown version';
    } finally {
      client.disconnect();
    }
  });
  const command = (file, args) =>
    ask(
      async () =>
        execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
          .trim()
          .split('\n')[0],
    );
  const debian = await ask(async () => `Debian ${fs.readFileSync('/etc/debian_version', 'utf8').trim()}`);
  return {
    cpu: `${cpus.length} cores, ${cpus[0]?.model ?? 'unknown model'}`,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()}, ${debian}`,
    node: process.version,
    postgres,
    redis,
    ogr2ogr: await command('ogr2ogr', ['--version']),
    commit: await command('git', ['-C', root, 'log', '-1', '--format=%h %cs']),
    // RESULTS.md itself left out: it is what a run changes.
    dirty: (await command('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no', '--', '.', ':!bench/RESULTS.md'])) !== '',
  };
}

/** Runs one benchmark as its own process, its output passed through as it comes. */
function runOne({ name, args, timeoutMs = TIMEOUT_MS }) {
  return new Promise((resolve) => {
    const t = process.hrtime.bigint();
    // detached: its own process group, so that a timeout stops whatever it started as well.
    const child = spawn(process.execPath, [path.join(here, `${name}.mjs`), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let both = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      both += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      both += chunk;
      process.stderr.write(chunk);
    });
    let timedOut = false;
    const stop = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop('SIGTERM');
      setTimeout(() => stop('SIGKILL'), 10_000).unref();
    }, timeoutMs);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const result = parseResult(stdout);
      const failure = timedOut
        ? `timed out after ${timeoutMs / 1000} s`
        : code !== 0
          ? `exited with ${code ?? signal}`
          : !result
            ? 'printed no result line'
            : result.benchmark !== name
              ? `printed the result of "${result.benchmark}"`
              : null;
      resolve({ name, args, seconds: seconds(t), result: failure ? null : result, failure, stdout, both });
    });
  });
}

let buildOutcome = { skipped: true };
if (build) {
  console.log('== build (scripts/build.mjs)');
  const t = process.hrtime.bigint();
  try {
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
    buildOutcome = { seconds: seconds(t) };
  } catch (error) {
    buildOutcome = { seconds: seconds(t), failure: `scripts/build.mjs ${error.status !== undefined ? `exited with ${error.status}` : error.message}` };
  }
}
const before = await machine();
const loadAtStart = os.loadavg()[0];
const runs = [];
for (const benchmark of selected) {
  if (buildOutcome.failure) {
    runs.push({ ...benchmark, seconds: 0, result: null, failure: 'not run: the build failed', stdout: '', both: '' });
    continue;
  }
  console.log(`\n== ${benchmark.name} (node bench/${benchmark.name}.mjs ${benchmark.args.join(' ')})`);
  runs.push(await runOne(benchmark));
}
const loadAtEnd = os.loadavg()[0];
const totalS = seconds(started);

// ---- RESULTS.md -------------------------------------------------------------------------------

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const failures = runs.filter((r) => r.failure);
const notes = (() => {
  const previous = fs.existsSync(resultsPath) ? fs.readFileSync(resultsPath, 'utf8') : '';
  const at = previous.search(/^## Notes\b/m);
  return at >= 0 ? previous.slice(at).trimEnd() : '## Notes\n\nHand-written; `npm run bench` keeps this section as it is.';
})();

const lines = [];
lines.push('# Benchmark results', '');
lines.push(
  "> Generated by `npm run bench` (bench/run-all.mjs) from the benchmarks' own results: do not edit it by hand, except the section",
  '> "Notes" at the end, which every run keeps as it is. What each benchmark measures and how is in its file and below.',
  '',
);
const when = `${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const summary = failures.length
  ? `**${failures.length} of ${runs.length} benchmark(s) failed** (${failures.map((f) => f.name).join(', ')}): see below; the run exited with code 1.`
  : `All ${runs.length} benchmarks finished.`;
lines.push(
  `Run of ${when} on commit ${before.commit}${before.dirty ? ' (with uncommitted changes)' : ''}: ${summary} ` +
    `The whole run took ${duration(totalS)}${buildOutcome.skipped ? ' (no build)' : `, the build ${duration(buildOutcome.seconds)} of it`}${buildOutcome.failure ? ` (**the build failed**: ${buildOutcome.failure})` : ''}. ` +
    'A target not met is reported, not a failure.',
  '',
);

lines.push('## Machine', '', '| | |', '|---|---|');
for (const [what, value] of [
  ['CPU', before.cpu],
  ['memory', before.memory],
  [
    'load average (1 min)',
    `${loadAtStart.toFixed(1)} at the start, ${loadAtEnd.toFixed(1)} at the end; the machine is shared with other work, so figures vary by tens of per cent from run to run`,
  ],
  ['system', before.os],
  ['Node.js', before.node],
  ['PostgreSQL', before.postgres],
  ['Redis', before.redis],
  ['ogr2ogr', before.ogr2ogr],
  ['date', when],
]) {
  lines.push(`| ${what} | ${cell(value)} |`);
}
lines.push('');

const formatValue = (figure) => `${figure.value.toLocaleString('en', { maximumFractionDigits: 3 })} ${figure.unit ?? ''}`.trim();
lines.push('## Figures', '', '| benchmark | figure | this run | target | met | reference, measured in the same run |', '|---|---|---|---|---|---|');
for (const run of runs) {
  const link = `[${run.name}](#${run.name})`;
  if (run.failure) {
    lines.push(`| ${link} | **failed: ${cell(run.failure)}** | | | | |`);
    continue;
  }
  for (const figure of run.result.figures) {
    const met = figure.met === undefined ? '' : figure.met ? 'yes' : '**no**';
    lines.push(`| ${link} | ${cell(figure.what)} | ${cell(formatValue(figure))} | ${cell(figure.target ?? '—')} | ${met} | ${cell(figure.reference ?? '—')} |`);
  }
}
lines.push('');

lines.push('## The benchmarks', '');
for (const run of runs) {
  const command = run.result?.command ?? `node bench/${run.name}.mjs ${run.args.join(' ')}`.trim();
  lines.push(`<a id="${run.name}"></a>`, `### ${run.name}${run.result ? `: ${run.result.title}` : ''}`, '');
  if (run.result) lines.push(run.result.description, '');
  lines.push(
    `Run alone: \`${command}\`${run.result ? ` (${run.result.size})` : ''}; ${run.failure?.startsWith('not run') ? 'not run' : `took ${duration(run.seconds)} in this run`}.`,
    '',
  );
  if (run.failure) {
    const tail = run.both.trimEnd().split('\n').slice(-40).join('\n');
    lines.push(`**Failed: ${run.failure}.**${tail ? ' The last of its output:' : ''}`, '');
    if (tail) lines.push('```', tail, '```', '');
    continue;
  }
  // Its own lines as printed, without the result line and the servers' JSON log lines.
  const output = run.stdout.split('\n').filter((line) => line.trim() && !line.trimStart().startsWith('{'));
  if (output.length) lines.push('```', ...output, '```', '');
}
lines.push(notes, '');

const markdown = lines.join('\n');
const written = only ? path.join(os.tmpdir(), `serat-bench-results-${process.pid}.md`) : resultsPath;
fs.writeFileSync(written, markdown);
console.log(
  `\n== ${failures.length ? `${failures.length} failed: ${failures.map((f) => `${f.name} (${f.failure})`).join(', ')}` : 'all finished'}; ${duration(totalS)}; wrote ${path.relative(process.cwd(), written) || written}`,
);
process.exit(failures.length || buildOutcome.failure ? 1 : 0);
