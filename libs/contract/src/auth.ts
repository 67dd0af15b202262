/** The signed-in person and the answers of /api/auth. */

export const ROLES = ['admin', 'planner', 'technician', 'mentor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** The roles that may change the status of segments and nodes; the others only read. */
export const FIELD_ROLES: readonly Role[] = ['admin', 'planner', 'technician'];

export interface User {
  id: string;
  email: string;
  username: string;
  displayName: string;
  role: Role;
  /** The kecamatan a user is limited to; null means everywhere. */
  kecamatanCodes: string[] | null;
  mustChangePassword: boolean;
}

/** GET /api/auth/me. */
export interface MeAnswer {
  user: User;
}

/** POST /api/auth/login for a browser session: the token to send back as X-CSRF-Token. */
export interface SessionAnswer<Time = string> {
  user: User;
  csrfToken: string;
  expiresAt: Time;
}

export interface DemoAccount {
  username: string;
  password: string;
  role: Role;
  displayName: string;
}

/** GET /api/auth/demo-accounts (404 outside a demo installation). */
export interface DemoAccountsAnswer {
  accounts: DemoAccount[];
}
