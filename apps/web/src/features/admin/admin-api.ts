/**
 * The admin endpoints (apps/api/src/users, apps/api/src/audit): users a page at a time by
 * username, and the audit trail newest first, each followed by its `next` cursor.
 */
import type { AuditFilter, AuditPage, NewUserBody, UserAnswer, UserChanges, UsersPage } from '../../../../../libs/contract/src';
import { getAllFeatures, getJson, send, type AreaFeature } from '../../shared/api';

// The shapes are the contract's (libs/contract/src/admin.ts), which the api's users and audit
// controllers are typed to; named here too, so the admin modules take them from one place.
export type { AdminUser, AuditEntry, AuditFilter, NewUserBody, UserAnswer, UserChanges } from '../../../../../libs/contract/src';

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
    getJson<UsersPage>(`/api/users?${query({ limit: page.limit, after: page.after ?? undefined, q: page.q })}`, signal),
  createUser: (body: NewUserBody) => send<UserAnswer>('/api/users', { method: 'POST', body }),
  updateUser: (id: string, changes: UserChanges) => send<UserAnswer>(`/api/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: changes }),
  audit: (filter: AuditFilter, page: { limit: number; before?: string | null }, signal?: AbortSignal) =>
    getJson<AuditPage>(`/api/audit?${query({ ...filter, limit: page.limit, before: page.before ?? undefined })}`, signal),
  async kecamatan(signal?: AbortSignal): Promise<Kecamatan[]> {
    const features = await getAllFeatures<AreaFeature>('/api/areas?level=kecamatan', signal);
    return features.map((feature) => ({ code: feature.properties.code, name: feature.properties.name })).sort((a, b) => a.name.localeCompare(b.name, 'id'));
  },
};
