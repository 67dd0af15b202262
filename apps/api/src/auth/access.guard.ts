import { CanActivate, ExecutionContext, HttpStatus, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthService } from '@serat/domain';
import { ApiError } from '../http/api-error';
import { ACCESS_RULE, AccessRule, ALLOWED_BEFORE_PASSWORD_CHANGE } from './access';
import { AuthenticatedRequest, CSRF_HEADER, SESSION_COOKIE } from './request-auth';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one gate every request passes: finds the route's declared rule (none: refused), signs the
 * caller in from a bearer token or the session cookie, checks CSRF on cookie writes, keeps a user
 * with a temporary password to changing it, then checks the role.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [context.getHandler(), context.getClass()]);
    if (!rule) {
      this.logger.error(`route without an access rule refused: ${context.getClass().name}.${context.getHandler().name}`);
      throw new ApiError('FORBIDDEN', HttpStatus.FORBIDDEN);
    }
    if (rule.kind === 'public') return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.get('authorization');
    const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const cookie: string | undefined = request.cookies?.[SESSION_COOKIE];
    const secret = bearer ?? cookie;
    if (!secret) throw new ApiError('UNAUTHENTICATED', HttpStatus.UNAUTHORIZED);
    const token = await this.auth.authenticate(secret);
    if (!token) throw new ApiError(bearer ? 'TOKEN_INVALID' : 'SESSION_EXPIRED', HttpStatus.UNAUTHORIZED);

    // A browser session writes only with the CSRF token it was given at sign-in.
    if (!bearer && !SAFE_METHODS.has(request.method) && !this.auth.csrfMatches(token, request.get(CSRF_HEADER))) {
      throw new ApiError('CSRF_FAILED', HttpStatus.FORBIDDEN);
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
