import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { SeratConfig } from '@serat/config';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';
import { withoutBootChatter } from '@serat/database';

/** Starts the worker's application context (no HTTP); its processors begin taking jobs. */
export async function createWorker(config: SeratConfig): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(withoutBootChatter(app.get(Logger), config.logLevel));
  app.enableShutdownHooks();
  return app;
}
