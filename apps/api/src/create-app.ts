import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { SeratConfig } from '@serat/config';
import { Logger } from 'nestjs-pino';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import cookieParser from 'cookie-parser';
import { json, NextFunction, Request, Response } from 'express';
import compression from 'compression';
import helmet from 'helmet';
import { assertEveryRouteHasRule } from './auth/route-rules';
import { withoutBootChatter } from '@serat/database';
import { AppModule } from './app.module';
import { bodyErrorMiddleware } from './http/error.filter';
import { requestIdMiddleware } from './http/request-id';
import { requestTextMiddleware } from './http/request-text';
import { uploadLimit } from './http/upload-limit';
import { PHOTO_MAX_BYTES } from '@serat/domain';
import { DEFAULT_IMPORT_LIMITS } from '@serat/geo';

/** JSON bodies are small edits; files (imports, photos) will have their own, larger limit. */
export const JSON_BODY_LIMIT = '1mb';

/**
 * Same-origin everything; images may also come from the optional tile server, which the service
 * worker fetches too (it keeps the tiles for offline use), so it is allowed to connect there.
 */
function contentSecurityPolicy(config: SeratConfig): Record<string, string[]> {
  // Every host the template names: `{s}` is one of Leaflet's default subdomains a, b and c.
  const template = config.tileLayer?.url;
  const tiles = template ? [...new Set(['a', 'b', 'c'].map((s) => new URL(template.replace(/\{s\}/g, s).replace(/\{[a-z]\}/g, '0')).origin))] : [];
  return {
    'default-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:', ...tiles],
    'style-src': ["'self'", "'unsafe-inline'"],
    'script-src': ["'self'"],
    'connect-src': ["'self'", ...tiles],
    'object-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
  };
}

/** Builds the api application without listening: main.ts listens, tests pick their own port. */
export async function createApp(config: SeratConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bufferLogs: true, bodyParser: false });
  app.useLogger(withoutBootChatter(app.get(Logger), config.logLevel));
  app.setGlobalPrefix('api');
  // Order matters: the request id first, then the body parser and the answer to its failures,
  // then the check of the text in the request.
  app.use(requestIdMiddleware);
  // Answers that carry a token or personal data are kept by no browser or proxy cache, errors included.
  app.use(['/api/auth', '/api/users', '/api/audit'], (_request: Request, response: Response, next: NextFunction) => {
    response.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(helmet({ contentSecurityPolicy: { directives: contentSecurityPolicy(config) } }));
  // Answers gzipped for clients that ask (JSON, GeoJSON, the app's scripts and styles; photos and
  // KMZ are compressed already and pass as they are): on a phone on 3G the map's first load is
  // mostly text. A streamed answer (server-sent events) must call response.flush() after each write.
  app.use(compression());
  app.use(cookieParser());
  app.use(json({ limit: JSON_BODY_LIMIT }));
  // Uploads have their own limits, a little above the file limits to leave room for the multipart framing.
  app.use('/api/imports', uploadLimit(DEFAULT_IMPORT_LIMITS.maxFileBytes + 256 * 1024));
  app.use('/api/photos', uploadLimit(PHOTO_MAX_BYTES + 256 * 1024));
  app.use(bodyErrorMiddleware);
  // Before any route: no NUL or unpaired surrogate in the path, query or JSON body reaches one.
  app.use('/api', requestTextMiddleware);
  app.set('trust proxy', config.trustProxy);
  // Closed unless origins are configured: the web app is served from the same origin.
  if (config.corsOrigins.length) app.enableCors({ origin: config.corsOrigins, credentials: true, maxAge: 600 });
  app.enableShutdownHooks();
  app.disable('x-powered-by');

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Serat API')
      .setDescription('Fiber-network rollout and inventory: admin areas, sites, nodes and segments as GeoJSON (WGS84, lon/lat).')
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An access token (POST /api/auth/login with client "api") or a personal API token' })
      .addCookieAuth('serat_session')
      .addSecurityRequirements('bearer')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, cleanupOpenApiDoc(document), { jsonDocumentUrl: 'api/docs/openapi.json' });
  await app.init();
  assertEveryRouteHasRule(app);
  return app;
}
