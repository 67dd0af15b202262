import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SERAT_CONFIG, SeratConfig } from '@serat/config';
import { AuthService } from '@serat/domain';
import type { Request } from 'express';
import { ApiError } from '../http/api-error';
import { ACCESS_RULE, AccessRule, ALLOWED_BEFORE_PASSWORD_CHANGE } from './access';
import { AuthenticatedRequest, CSRF_HEADER, requestSecret } from './request-auth';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The origin the browser sees this server at (behind a trusted proxy: the proxy's), or null. */
function ownOrigin(request: Request): string | null {
  try {
    return new URL(`${request.protocol}://${request.host}`).origin;
  } catch {
    return null;
  }
}

/**
 * The one gate every request passes: finds the route's declared rule (none: refused), signs the
 * caller in from a bearer token or the session cookie, checks CSRF and the sending site on cookie
 * writes, keeps a user with a temporary password to changing it, then checks the role.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    @Inject(SERAT_CONFIG) private readonly config: SeratConfig,
  ) {}

  /**
   * A second line behind the CSRF token: a browser names the page that sent a request (Origin,
   * Sec-Fetch-Site), and a cookie write from a page of another site is refused, whatever token it
   * carries. A request without either header (a script keeping a cookie) is left to the token.
   */
  private fromAnotherSite(request: Request): boolean {
    if (request.get('sec-fetch-site') === 'cross-site') return true;
    const origin = request.get('origin');
    if (origin === undefined) return false;
    return origin !== ownOrigin(request) && !this.config.corsOrigins.includes(origin);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [context.getHandler(), context.getClass()]);
    if (!rule) {
      this.logger.error(`route without an access rule refused: ${context.getClass().name}.${context.getHandler().name}`);
      throw new ApiError('FORBIDDEN', HttpStatus.FORBIDDEN);
    }
    if (rule.kind === 'public') return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const { secret, bearer } = requestSecret(request);
    if (!secret) throw new ApiError('UNAUTHENTICATED', HttpStatus.UNAUTHORIZED);
    const token = await this.auth.authenticate(secret);
    if (!token) throw new ApiError(bearer ? 'TOKEN_INVALID' : 'SESSION_EXPIRED', HttpStatus.UNAUTHORIZED);

    // A browser session writes only with the CSRF token it was given at sign-in.
    if (!bearer && !SAFE_METHODS.has(request.method)) {
      if (!this.auth.csrfMatches(token, request.get(CSRF_HEADER))) throw new ApiError('CSRF_FAILED', HttpStatus.FORBIDDEN);
      if (this.fromAnotherSite(request)) throw new ApiError('CROSS_SITE_REFUSED', HttpStatus.FORBIDDEN);
    }
    request.auth = token;
    request.authVia = bearer ? 'bearer' : 'cookie';
    // A temporary password (after a reset) is changed before anything else, on every client.
    if (token.user.mustChangePassword && !this.reflector.getAllAndOverride<boolean | undefined>(ALLOWED_BEFORE_PASSWORD_CHANGE, [context.getHandler(), context.getClass()])) {
      throw new ApiError('PASSWORD_CHANGE_REQUIRED', HttpStatus.FORBIDDEN);
    }
    if (rule.kind === 'roles' && !rule.roles.includes(token.user.role)) throw new ApiError('FORBIDDEN', HttpStatus.FORBIDDEN);
    return true;
  }
}
