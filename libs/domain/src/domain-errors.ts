import { AUTH_ERRORS } from './auth/auth.errors';
import { EVIDENCE_ERRORS } from './evidence/evidence.errors';
import { EXPORTS_ERRORS } from './exports/exports.errors';
import { IMPORTS_ERRORS } from './imports/imports.errors';
import { NETWORK_ERRORS } from './network/network.errors';
import { MILESTONES_ERRORS } from './milestones/milestones.errors';
import { MONITORS_ERRORS } from './monitors/monitors.errors';
import { PHASES_ERRORS } from './phases/phases.errors';
import { composeErrors } from './shared/error-table';
import { SHARED_ERRORS } from './shared/shared.errors';
import { USERS_ERRORS } from './users/users.errors';

/** Every code the domain throws, from the features' own tables (a code in two of them does not compile). */
export const DOMAIN_ERRORS = composeErrors(
  SHARED_ERRORS,
  AUTH_ERRORS,
  USERS_ERRORS,
  NETWORK_ERRORS,
  EVIDENCE_ERRORS,
  IMPORTS_ERRORS,
  EXPORTS_ERRORS,
  PHASES_ERRORS,
  MILESTONES_ERRORS,
  MONITORS_ERRORS,
);
export type DomainErrorCode = keyof typeof DOMAIN_ERRORS;
