/**
 * The admin endpoints (apps/api/src/users, apps/api/src/audit): users a page at a time by
 * username, and the audit trail newest first, each followed by its `next` cursor.
 */
import { getAllFeatures, getJson, send, type AreaFeature, type Role } from '../../shared/api';

export interface AdminUser {
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
  createdAt: string;
  updatedAt: string;
}

/** POST /api/users without a password: the server makes a temporary one and returns it once. */
export interface NewUserBody {
  email: string;
  username: string;
  displayName: string;
  role: Role;
  kecamatanCodes?: string[] | null;
}

export interface UserChanges {
  displayName?: string;
  role?: Role;
  kecamatanCodes?: string[] | null;
  active?: boolean;
  resetPassword?: true;
}

export interface UserAnswer {
  user: AdminUser;
  /** Only right after a create or a reset: shown once, never stored. */
  temporaryPassword: string | null;
}

export interface AuditEntry {
  id: string;
  at: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string | null;
  changes: Record<string, { before: unknown; after: unknown }> | null;
  requestId: string | null;
  ip: string | null;
  deviceTime: string | null;
}

/** What GET /api/audit filters on; times are ISO 8601 with offset, `to` exclusive. */
export interface AuditFilter {
  entity?: string;
  entityId?: string;
  user?: string;
  from?: string;
  to?: string;
}

export interface Kecamatan {
  code: string;
  name: string;
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(name, String(value));
  return search.toString();
}

export const adminApi = {
  users: (page: { limit: number; after?: string | null; q?: string }, signal?: AbortSignal) =>
    getJson<{ users: AdminUser[]; next: string | null }>(`/api/users?${query({ limit: page.limit, after: page.after ?? undefined, q: page.q })}`, signal),
  createUser: (body: NewUserBody) => send<UserAnswer>('/api/users', { method: 'POST', body }),
  updateUser: (id: string, changes: UserChanges) => send<UserAnswer>(`/api/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: changes }),
  audit: (filter: AuditFilter, page: { limit: number; before?: string | null }, signal?: AbortSignal) =>
    getJson<{ entries: AuditEntry[]; next: string | null }>(`/api/audit?${query({ ...filter, limit: page.limit, before: page.before ?? undefined })}`, signal),
  async kecamatan(signal?: AbortSignal): Promise<Kecamatan[]> {
    const features = await getAllFeatures<AreaFeature>('/api/areas?level=kecamatan', signal);
    return features.map((feature) => ({ code: feature.properties.code, name: feature.properties.name })).sort((a, b) => a.name.localeCompare(b.name, 'id'));
  },
};
