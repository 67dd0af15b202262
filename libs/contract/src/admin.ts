/**
 * The admin endpoints (apps/api/src/users, apps/api/src/audit): users a page at a time by
 * username, and the audit trail newest first, each followed by its `next` cursor.
 *
 * Timestamps are ISO 8601 text on the wire; the api builds them as Date (JSON writes ISO 8601), so
 * the types that carry one take the time's type as a parameter, text by default.
 */
import type { Role } from './auth';

/** A user as the admin screens see it: with its state, version and times (never a password hash). */
export interface AdminUser<Time = string> {
  id: string;
  email: string;
  username: string;
  displayName: string;
  role: Role;
  /** Technicians: the kecamatan they may work in; null for everywhere. */
  kecamatanCodes: string[] | null;
  active: boolean;
  mustChangePassword: boolean;
  version: number;
  createdAt: Time;
  updatedAt: Time;
}

/** GET /api/users?limit&after&q: by username; `next` is the username to continue after. */
export interface UsersPage<Time = string> {
  users: AdminUser<Time>[];
  next: string | null;
}

/**
 * POST /api/users. Without a password the server makes a temporary one, returns it once and the
 * user must change it at the first sign-in (the admin screens never send one).
 */
export interface NewUserBody {
  email: string;
  username: string;
  displayName: string;
  role: Role;
  kecamatanCodes?: string[] | null;
  password?: string;
}

/** PATCH /api/users/:id: only what changes (at least one field). */
export interface UserChanges {
  displayName?: string;
  role?: Role;
  kecamatanCodes?: string[] | null;
  active?: boolean;
  /** A new temporary password, returned once; the user must change it. */
  resetPassword?: true;
}

/** The answer of POST /api/users and PATCH /api/users/:id. */
export interface UserAnswer<Time = string> {
  user: AdminUser<Time>;
  /** Only right after a create without a password or a reset: shown once, never stored. */
  temporaryPassword: string | null;
}

/** The fields an entry changed, as they were and as they became. */
export type AuditChanges = Record<string, { before: unknown; after: unknown }>;

export interface AuditEntry<Time = string> {
  /** A bigint as text: the cursor of the page after. */
  id: string;
  at: Time;
  actorId: string | null;
  /** Who did it, as named when it was done (the user may have been renamed since). */
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string | null;
  /**
   * null when the action recorded no fields. Optional only because the api's record type shares
   * its shape with the entries it writes, where it may be left out; a read always carries it.
   */
  changes?: AuditChanges | null;
  requestId: string | null;
  ip: string | null;
  /** When the device says it happened (field work queued offline). */
  deviceTime: Time | null;
}

/** What GET /api/audit filters on; times are ISO 8601 with offset, `to` exclusive. */
export interface AuditFilter {
  entity?: string;
  entityId?: string;
  /** The actor's user id. */
  user?: string;
  from?: string;
  to?: string;
}

/** GET /api/audit?…&limit&before: newest first; `next` is the id to continue before. */
export interface AuditPage<Time = string> {
  entries: AuditEntry<Time>[];
  next: string | null;
}
