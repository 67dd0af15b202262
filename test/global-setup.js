/**
 * Builds the migrated (and the seeded) template databases once per run; each test file then
 * copies its own database from them. Uses the compiled code (npm test builds first), because
 * jest does not map the @serat/* aliases for global setup.
 */
module.exports = async function globalSetup() {
  process.env.TZ = 'UTC';
  // Templates named for this run: a second run on the same machine (CI beside a developer) keeps to its own.
  process.env.SERAT_TEST_TEMPLATE_SUFFIX = `${process.pid}`;
  const { loadTestSettings } = require('../dist/libs/config/src');
  const { createTemplateDatabases } = require('../dist/libs/demo/src');
  const { adminDatabaseUrl } = loadTestSettings();
  try {
    await createTemplateDatabases(adminDatabaseUrl, process.env.SERAT_TEST_TEMPLATE_SUFFIX);
  } catch (error) {
    throw new Error(
      `Could not prepare the test databases on ${adminDatabaseUrl}: ${error.message}. ` +
        'The tests need PostgreSQL with PostGIS (see README); set SERAT_TEST_DATABASE_URL to point elsewhere.',
    );
  }
};
