import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { SeratConfig } from '@serat/config';
import { Logger } from 'nestjs-pino';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { json } from 'express';
import { AppModule } from './app.module';
import { bodyErrorMiddleware } from './http/error.filter';
import { requestIdMiddleware } from './http/request-id';

/** JSON bodies are small edits; files (imports, photos) will have their own, larger limit. */
export const JSON_BODY_LIMIT = '1mb';

/** Builds the api application without listening: main.ts listens, tests pick their own port. */
export async function createApp(config: SeratConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api');
  // Order matters: the request id first, then the body parser and the answer to its failures.
  app.use(requestIdMiddleware);
  app.use(json({ limit: JSON_BODY_LIMIT }));
  app.use(bodyErrorMiddleware);
  app.enableShutdownHooks();
  app.disable('x-powered-by');

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Serat API')
      .setDescription('Fiber-network rollout and inventory: admin areas, sites, nodes and segments as GeoJSON (WGS84, lon/lat).')
      .setVersion('0.1.0')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, cleanupOpenApiDoc(document), { jsonDocumentUrl: 'api/docs/openapi.json' });
  return app;
}
