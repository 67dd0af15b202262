import type { INestApplication } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_RULE, AccessRule } from './access';

export interface RouteRule {
  method: string;
  path: string;
  handler: string;
  rule: AccessRule | undefined;
}

function joinPath(...parts: (string | undefined)[]): string {
  return `/${parts
    .flatMap((p) => (p ?? '').split('/'))
    .filter(Boolean)
    .join('/')}`;
}

/** Every route of the api with its declared access rule (undefined where none was declared). */
export function listRouteRules(app: INestApplication, globalPrefix = 'api'): RouteRule[] {
  const discovery = app.get(DiscoveryService);
  const scanner = app.get(MetadataScanner);
  const reflector = app.get(Reflector);
  const routes: RouteRule[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object | undefined;
    if (!instance || !wrapper.metatype) continue;
    const controllerPath = reflector.get<string | string[]>(PATH_METADATA, wrapper.metatype);
    const prototype = Object.getPrototypeOf(instance);
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      const methodPath = reflector.get<string | string[]>(PATH_METADATA, handler);
      if (methodPath === undefined) continue;
      const method = RequestMethod[reflector.get<RequestMethod>(METHOD_METADATA, handler)];
      const rule = reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [handler, wrapper.metatype]);
      const base = Array.isArray(controllerPath) ? controllerPath[0] : controllerPath;
      const own = Array.isArray(methodPath) ? methodPath[0] : methodPath;
      routes.push({ method, path: joinPath(globalPrefix, base, own), handler: `${wrapper.metatype.name}.${name}`, rule });
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

/** Stops start-up when a route has no declared rule: default deny must never be discovered in production. */
export function assertEveryRouteHasRule(app: INestApplication): void {
  const missing = listRouteRules(app).filter((route) => !route.rule);
  if (missing.length) {
    throw new Error(`Routes without an @Access rule: ${missing.map((r) => `${r.method} ${r.path} (${r.handler})`).join(', ')}`);
  }
}
