// Generates a deterministic network of N segments inside the Kotim boundaries (copies of the
// kabupaten beyond 50,000 segments) for benchmarks: libs/demo/src/generated-network.ts plans it,
// libs/demo/src/generate-network.ts writes it through the repositories, in one transaction.
// A data generator, not a benchmark: bench/run-all.mjs leaves it out; its figures are in RESULTS.md.
//
// Usage: npm run bench:generate -- --segments N [--seed S] [--database-url URL] [--replace]
//   --database-url  PostgreSQL to write to; default DATABASE_URL, else the embedded database
//                   under SERAT_DATA_DIR (as npm start opens it)
//   --seed          0 … 4294967295, default 1; the same seed and N give the same codes and geometry
//   --replace       remove the generated network that is there (codes GN-…) first
// Migrates the database and loads the Kotim boundaries (npm run seed) when they are missing.
// Prints progress, then the summary as one JSON line starting "result: ".
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
const require = createRequire(import.meta.url);
require('reflect-metadata');
const { loadConfig, ConfigError } = require('../dist/libs/config/src');
const { createDataSource, EmbeddedPostgres, explainDatabaseError, migrateUp } = require('../dist/libs/database/src');
const { checkGenerateOptions, generateNetwork, GenerateError, isEmpty, seedKotim } = require('../dist/libs/demo/src');

const USAGE = 'Usage: npm run bench:generate -- --segments N [--seed S] [--database-url URL] [--replace]';
const log = (line) => process.stdout.write(`generate: ${line}\n`);
const fail = (message, code) => {
  process.stderr.write(`generate: ${message}\n${USAGE}\n`);
  process.exit(code);
};

let args;
try {
  args = parseArgs({
    args: process.argv.slice(2),
    options: {
      segments: { type: 'string' },
      seed: { type: 'string', default: '1' },
      'database-url': { type: 'string' },
      replace: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  }).values;
} catch (error) {
  fail(error.message, 2);
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (args.segments === undefined) fail('--segments is required', 2);
const whole = (text) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);
const options = { segments: whole(args.segments), seed: whole(args.seed), replace: args.replace, log };
try {
  checkGenerateOptions(options);
} catch (error) {
  fail(error.message, 2);
}

let config;
try {
  config = loadConfig();
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error), 2);
}
let url = args['database-url'] ?? config.databaseUrl;
let embedded = null;
if (!url) {
  log(`no --database-url or DATABASE_URL: opening the embedded database in ${config.embeddedDb.dir} …`);
  embedded = await EmbeddedPostgres.start(config.embeddedDb);
  url = embedded.url;
}
const dataSource = createDataSource({ url, poolMax: 2, applicationName: 'serat-generate' });
let code = 0;
try {
  try {
    await dataSource.initialize();
  } catch (error) {
    throw new GenerateError(explainDatabaseError(error, url));
  }
  if (await dataSource.showMigrations()) {
    const ran = await migrateUp(dataSource);
    log(`migrations applied: ${ran.join(', ')}`);
  }
  if (await isEmpty(dataSource)) {
    const seeded = await seedKotim(dataSource);
    log(`loaded the Kotim boundaries and demo network (${seeded.areasWritten} areas)`);
  }
  const summary = await generateNetwork(dataSource, options);
  const [size] = await dataSource.query(`SELECT pg_database_size(current_database())::float8 AS bytes`);
  log(
    `${summary.segments.toLocaleString('en')} segments, ${summary.nodes.toLocaleString('en')} nodes, ${summary.sites.toLocaleString('en')} sites ` +
      `(${summary.connectedSites.toLocaleString('en')} connected) in ${summary.seconds.toFixed(1)} s; database ${(size.bytes / 2 ** 20).toFixed(0)} MiB`,
  );
  console.log(`result: ${JSON.stringify({ ...summary, seed: options.seed, databaseBytes: size.bytes })}`);
} catch (error) {
  code = error instanceof GenerateError ? 2 : 1;
  process.stderr.write(`generate: ${error instanceof GenerateError ? error.message : (error.stack ?? String(error))}\n`);
} finally {
  if (dataSource.isInitialized) await dataSource.destroy();
  if (embedded) await embedded.stop();
}
process.exit(code);
