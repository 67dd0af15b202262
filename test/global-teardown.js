/** Drops this run's template databases (each test file drops its own copy). */
module.exports = async function globalTeardown() {
  const { loadTestSettings } = require('../dist/libs/config/src');
  const { dropTemplateDatabases } = require('../dist/libs/demo/src');
  const { adminDatabaseUrl, templateSuffix } = loadTestSettings();
  await dropTemplateDatabases(adminDatabaseUrl, templateSuffix);
};
