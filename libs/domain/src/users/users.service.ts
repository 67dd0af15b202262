import { Injectable } from '@nestjs/common';
import { AuditContext, AuditRepository, diffFields } from '../audit/audit.repository';
import { AuthTokensRepository } from '../auth/auth-tokens.repository';
import { PasswordHasher } from '../auth/password-hasher';
import { passwordProblems } from '../auth/password-policy';
import type { Role } from '../auth/roles';
import { newTemporaryPassword } from '../auth/secrets';
import { UserRecord, UsersRepository } from '../auth/users.repository';
import { DomainError } from '../shared/domain-error';
import { UnitOfWork } from '../shared/transaction';

export interface CreateUserInput {
  email: string;
  username: string;
  displayName: string;
  role: Role;
  /** When absent a temporary password is generated, returned once, and must be changed at first sign-in. */
  password?: string;
  kecamatanCodes?: string[] | null;
}

export interface UpdateUserInput {
  displayName?: string;
  role?: Role;
  kecamatanCodes?: string[] | null;
  active?: boolean;
  /** An admin reset: a new temporary password, returned once; every session of the user ends. */
  resetPassword?: boolean;
}

const AUDITED_FIELDS = ['email', 'username', 'displayName', 'role', 'kecamatanCodes', 'active', 'mustChangePassword'] as const;

function audited(user: Partial<UserRecord>) {
  return Object.fromEntries(AUDITED_FIELDS.filter((key) => key in user).map((key) => [key, user[key]]));
}

@Injectable()
export class UsersService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly users: UsersRepository,
    private readonly tokens: AuthTokensRepository,
    private readonly audit: AuditRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  async create(input: CreateUserInput, context: AuditContext): Promise<{ user: UserRecord; temporaryPassword: string | null }> {
    const temporaryPassword = input.password ? null : newTemporaryPassword();
    const password = input.password ?? temporaryPassword!;
    if (input.password) {
      const problems = passwordProblems(input.password, [input.email, input.username, input.displayName]);
      if (problems.length) throw new DomainError('WEAK_PASSWORD', { problems });
    }
    const passwordHash = await this.hasher.hash(password);
    return this.unitOfWork.run(async (manager) => {
      const user = await this.users.insert({ ...input, passwordHash, mustChangePassword: temporaryPassword !== null, kecamatanCodes: input.kecamatanCodes ?? null }, manager);
      if (!user) throw new DomainError('DUPLICATE_USER');
      await this.audit.append({ action: 'create', entityType: 'user', entityId: user.id, changes: diffFields({} as Partial<UserRecord>, audited(user)) }, context, manager);
      return { user, temporaryPassword };
    });
  }

  async update(id: string, input: UpdateUserInput, context: AuditContext): Promise<{ user: UserRecord; temporaryPassword: string | null }> {
    const temporaryPassword = input.resetPassword ? newTemporaryPassword() : null;
    const passwordHash = temporaryPassword ? await this.hasher.hash(temporaryPassword) : undefined;
    return this.unitOfWork.run(async (manager) => {
      const before = await this.users.findById(id, manager);
      if (!before) throw new DomainError('NOT_FOUND');
      const losesAdmin = before.role === 'admin' && before.active && ((input.role !== undefined && input.role !== 'admin') || input.active === false);
      if (losesAdmin && (await this.users.countActiveAdmins(manager)) <= 1) throw new DomainError('LAST_ADMIN');

      const { resetPassword: _reset, ...fields } = input;
      const changes = { ...fields, ...(temporaryPassword ? { passwordHash, mustChangePassword: true } : {}) };
      const user = (await this.users.update(id, changes, manager))!;
      if (temporaryPassword || input.active === false || (input.role !== undefined && input.role !== before.role)) {
        // New rights or a new password take effect at the next sign-in, everywhere.
        await this.tokens.revokeAllOf(id, null, manager);
      }
      const diff = diffFields(audited(before), audited(user));
      if (temporaryPassword) diff.password = { before: '(hidden)', after: '(reset)' };
      await this.audit.append({ action: 'update', entityType: 'user', entityId: id, changes: diff }, context, manager);
      return { user, temporaryPassword };
    });
  }

  /**
   * The first admin of a new installation, from SERAT_ADMIN_EMAIL/SERAT_ADMIN_PASSWORD: created
   * only while no admin exists, so restarting (or several replicas starting) changes nothing.
   */
  async ensureFirstAdmin(email: string, password: string): Promise<UserRecord | null> {
    if ((await this.users.countActiveAdmins()) > 0) return null;
    const username = email
      .split('@')[0]
      .toLowerCase()
      .replace(/[^a-z0-9._-]/g, '')
      .slice(0, 40)
      .padEnd(3, '0');
    try {
      const { user } = await this.create({ email, username, displayName: 'Administrator', role: 'admin', password }, { actorId: null, actorLabel: 'system:first-admin' });
      return user;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'DUPLICATE_USER') return null;
      throw error;
    }
  }

  /** One account per role for a demo installation, with generated passwords shown on the sign-in page. */
  async ensureDemoUsers(): Promise<{ username: string; password: string; role: Role }[]> {
    const demo: { username: string; role: Role; displayName: string }[] = [
      { username: 'admin', role: 'admin', displayName: 'Admin Diskominfo (demo)' },
      { username: 'perencana', role: 'planner', displayName: 'Perencana Diskominfo (demo)' },
      { username: 'teknisi', role: 'technician', displayName: 'Teknisi Lapangan (demo)' },
      { username: 'mentor', role: 'mentor', displayName: 'Mentor ITS (demo)' },
      { username: 'peninjau', role: 'viewer', displayName: 'Peninjau (demo)' },
    ];
    const created: { username: string; password: string; role: Role }[] = [];
    for (const account of demo) {
      const password = newTemporaryPassword();
      const user = await this.users.insert({
        email: `${account.username}@demo.serat.invalid`,
        username: account.username,
        displayName: account.displayName,
        role: account.role,
        passwordHash: await this.hasher.hash(password),
      });
      if (!user) continue;
      await this.users.saveDemoAccount(account.username, password);
      await this.audit.append({ action: 'create', entityType: 'user', entityId: user.id, changes: diffFields({}, audited(user)) }, { actorId: null, actorLabel: 'system:demo' });
      created.push({ username: account.username, password, role: account.role });
    }
    return created;
  }
}
