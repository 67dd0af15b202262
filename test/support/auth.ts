import { AuditRepository, AuthTokensRepository, PasswordHasher, Role, UnitOfWork, UsersRepository, UsersService } from '@serat/domain';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';

export const TEST_PASSWORD_PREFIX = 'Uji-Sandi-';

export interface TestUser {
  id: string;
  username: string;
  email: string;
  password: string;
  role: Role;
}

/** A user made straight in the database, with a strong random password. */
export async function createTestUser(dataSource: DataSource, role: Role, options: { kecamatanCodes?: string[] | null; username?: string } = {}): Promise<TestUser> {
  const service = new UsersService(
    new UnitOfWork(dataSource),
    new UsersRepository(dataSource),
    new AuthTokensRepository(dataSource),
    new AuditRepository(dataSource),
    new PasswordHasher(),
  );
  const username = options.username ?? `${role}-${randomBytes(3).toString('hex')}`;
  const password = `${TEST_PASSWORD_PREFIX}${randomBytes(6).toString('hex')}`;
  const { user } = await service.create(
    { email: `${username}@test.serat.invalid`, username, displayName: `Test ${role}`, role, password, kecamatanCodes: options.kecamatanCodes ?? null },
    { actorId: null, actorLabel: 'test' },
  );
  return { id: user.id, username: user.username, email: user.email, password, role };
}

/** Signs in through the api as a script would; returns the access token. */
export async function signIn(baseUrl: string, user: Pick<TestUser, 'username' | 'password'>): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: user.username, password: user.password, client: 'api' }),
  });
  if (response.status !== 200) throw new Error(`sign-in of ${user.username} failed: ${response.status} ${await response.text()}`);
  return (await response.json()).accessToken;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
