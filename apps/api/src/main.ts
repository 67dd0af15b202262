import 'reflect-metadata';
import { configForServerProcess, failStart } from '@serat/database';
import { createApp } from './create-app';

async function main(): Promise<void> {
  const config = await configForServerProcess('serat-api');
  const app = await createApp(config);
  await app.listen(config.http.port, config.http.host);
  const shown = config.http.host === '0.0.0.0' ? 'localhost' : config.http.host;
  process.stdout.write(`Serat API listening on http://${shown}:${config.http.port}/ (docs: /api/docs)\n`);
}

main().catch((error) => failStart('serat-api', error instanceof Error ? (error.stack ?? error.message) : String(error)));
