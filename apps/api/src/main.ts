import 'reflect-metadata';
import { ConfigError } from '@serat/config';
import { configForServerProcess, failStart } from '@serat/database';
import { createApp } from './create-app';

async function main(): Promise<void> {
  const config = await configForServerProcess('serat-api');
  const app = await createApp(config);
  await app.listen(config.http.port, config.http.host);
  const shown = config.http.host === '0.0.0.0' ? 'localhost' : config.http.host;
  process.stdout.write(`Serat API listening on http://${shown}:${config.http.port}/ (docs: /api/docs)\n`);
}

main().catch((error) => {
  // A setting found unusable only once the database is open (a weak SERAT_ADMIN_PASSWORD): one line, exit 2.
  if (error instanceof ConfigError) failStart('serat-api', error.message, 2);
  failStart('serat-api', error instanceof Error ? (error.stack ?? error.message) : String(error));
});
