import 'reflect-metadata';
import { redactUrl } from '@serat/config';
import { configForServerProcess, failStart } from '@serat/database';
import { JobHandlersMissingError } from '@serat/jobs';
import { createWorker } from './create-worker';

async function main(): Promise<void> {
  const config = await configForServerProcess('serat-worker');
  await createWorker(config);
  process.stdout.write(`Serat worker started; jobs from ${redactUrl(config.redis.url)} (prefix ${config.redis.queuePrefix})\n`);
}

main().catch((error) => {
  // The start-up check of the job handlers says all there is to say in its one line.
  if (error instanceof JobHandlersMissingError) failStart('serat-worker', error.message);
  failStart('serat-worker', error instanceof Error ? (error.stack ?? error.message) : String(error));
});
