import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig, SeratConfig } from '@serat/config';
import { randomBytes } from 'node:crypto';
import { createApp } from '../../apps/api/src/create-app';
import { createWorker } from '../../apps/worker/src/create-worker';
import { testSettings } from './databases';

/** A configuration as the environment would give it, for a test database and its own queue prefix. */
export function testConfig(databaseUrl: string, env: Record<string, string> = {}): SeratConfig {
  return loadConfig({
    NODE_ENV: 'test',
    // Errors only: expected warnings (no admin yet, Redis away) would drown the test output.
    LOG_LEVEL: 'error',
    DATABASE_URL: databaseUrl,
    REDIS_URL: testSettings.redisUrl,
    SERAT_QUEUE_PREFIX: `test-${randomBytes(4).toString('hex')}`,
    PORT: '3000',
    ...env,
  });
}

export interface RunningApi {
  app: NestExpressApplication;
  baseUrl: string;
  close(): Promise<void>;
}

/** The api on a free loopback port. */
export async function startApi(config: SeratConfig): Promise<RunningApi> {
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const close = async () => {
    // A browser still open (its live feed, keep-alive sockets) would hold the server open: the
    // api stops as a process would, taking no new connection (a feed that reconnects while the
    // shutdown hooks run would otherwise hold it open again) and cutting what is still connected.
    const server = app.getHttpServer() as import('node:http').Server;
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await app.close();
    await stopped;
  };
  return { app, baseUrl: `http://127.0.0.1:${address.port}`, close };
}

export async function startWorker(config: SeratConfig): Promise<INestApplicationContext> {
  return createWorker(config);
}
