import type { AdminUser } from './admin-api';

/** A user as GET /api/users answers it. */
export function adminUser(username: string, change: Partial<AdminUser> = {}): AdminUser {
  return {
    id: `00000000-0000-4000-8000-${[...username]
      .reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) % 0xffffffffffff, 7)
      .toString(16)
      .padStart(12, '0')}`,
    email: `${username}@example.test`,
    username,
    displayName: `User ${username}`,
    role: 'viewer',
    kecamatanCodes: null,
    active: true,
    mustChangePassword: false,
    version: 1,
    createdAt: '2026-01-05T03:00:00.000Z',
    updatedAt: '2026-01-05T03:00:00.000Z',
    ...change,
  };
}
