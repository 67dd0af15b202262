import 'reflect-metadata';
import { redactUrl } from '@serat/config';
import { configForServerProcess, failStart } from '@serat/database';
import { createWorker } from './create-worker';

async function main(): Promise<void> {
  const config = await configForServerProcess('serat-worker');
  await createWorker(config);
  process.stdout.write(`Serat worker started; jobs from ${redactUrl(config.redis.url)} (prefix ${config.redis.queuePrefix})\n`);
}

main().catch((error) => failStart('serat-worker', error instanceof Error ? (error.stack ?? error.message) : String(error)));
