import { SetMetadata } from '@nestjs/common';
import type { Role } from '@serat/domain';

/**
 * Who may call a route: everyone, anyone signed in, or the listed roles. Every route declares
 * exactly one rule with @Access; a route without one is refused (default deny) and the api
 * will not even start with one (assertEveryRouteHasRule).
 */
export type AccessRule = { kind: 'public' } | { kind: 'signed-in' } | { kind: 'roles'; roles: Role[] };

export const ACCESS_RULE = 'serat:access-rule';

export function Access(rule: 'public' | 'signed-in' | Role[]): MethodDecorator & ClassDecorator {
  const value: AccessRule = rule === 'public' ? { kind: 'public' } : rule === 'signed-in' ? { kind: 'signed-in' } : { kind: 'roles', roles: rule };
  return SetMetadata(ACCESS_RULE, value);
}

export function describeRule(rule: AccessRule): string {
  return rule.kind === 'roles' ? rule.roles.join(', ') : rule.kind;
}

export const ALLOWED_BEFORE_PASSWORD_CHANGE = 'serat:allowed-before-password-change';

/**
 * The few routes a user whose password must be changed (a temporary one after a reset) may call
 * until it is: reading oneself, changing it, signing out. AccessGuard refuses every other route.
 */
export const AllowedBeforePasswordChange = (): MethodDecorator => SetMetadata(ALLOWED_BEFORE_PASSWORD_CHANGE, true);
