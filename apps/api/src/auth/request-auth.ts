import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuditContext, ClientInfo, ValidToken } from '@serat/domain';
import type { Request } from 'express';

export const SESSION_COOKIE = 'serat_session';
export const CSRF_COOKIE = 'serat_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export type AuthenticatedRequest = Request & { auth?: ValidToken; authVia?: 'cookie' | 'bearer' };

/** The secret a request signs in with: its bearer token, else its session cookie. */
export function requestSecret(request: Request): { secret: string | undefined; bearer: boolean } {
  const bearer = request.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const cookie: string | undefined = request.cookies?.[SESSION_COOKIE];
  return { secret: bearer ?? cookie, bearer: bearer !== undefined };
}

/** The signed-in user's token, set by AccessGuard (routes with a public rule get undefined). */
export const CurrentAuth = createParamDecorator((_: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<AuthenticatedRequest>().auth);

export function clientInfo(request: Request): ClientInfo {
  return { ip: request.ip ?? null, userAgent: request.get('user-agent') ?? null, requestId: request.id ? String(request.id) : null };
}

/** Who and from where, for the audit log, of the current request. */
export function auditContext(request: AuthenticatedRequest): AuditContext {
  return {
    actorId: request.auth?.user.id ?? null,
    actorLabel: request.auth?.user.username ?? 'anonymous',
    requestId: request.id ? String(request.id) : null,
    ip: request.ip ?? null,
  };
}

export const Audit = createParamDecorator((_: unknown, ctx: ExecutionContext) => auditContext(ctx.switchToHttp().getRequest<AuthenticatedRequest>()));
export const Client = createParamDecorator((_: unknown, ctx: ExecutionContext) => clientInfo(ctx.switchToHttp().getRequest<Request>()));
