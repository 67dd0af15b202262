import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Role } from './roles';

export interface UserRecord {
  id: string;
  email: string;
  username: string;
  displayName: string;
  role: Role;
  kecamatanCodes: string[] | null;
  active: boolean;
  mustChangePassword: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface UserWithHash extends UserRecord {
  passwordHash: string;
}

export interface NewUser {
  email: string;
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  kecamatanCodes?: string[] | null;
  mustChangePassword?: boolean;
}

const COLUMNS = `id, email, username, display_name AS "displayName", role, kecamatan_codes AS "kecamatanCodes", active,
  must_change_password AS "mustChangePassword", version, created_at AS "createdAt", updated_at AS "updatedAt"`;

@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** By email or username, case-insensitively; with the password hash, for signing in. */
  async findForLogin(login: string): Promise<UserWithHash | null> {
    const [row] = await this.dataSource.query(
      `SELECT ${COLUMNS}, password_hash AS "passwordHash" FROM users WHERE lower(email) = lower($1) OR lower(username) = lower($1) LIMIT 1`,
      [login],
    );
    return row ?? null;
  }

  async findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<UserWithHash | null> {
    const [row] = await manager.query(`SELECT ${COLUMNS}, password_hash AS "passwordHash" FROM users WHERE id = $1`, [id]);
    return row ?? null;
  }

  /** Returns null when the email or username is taken (no exception: that is an expected answer). */
  async insert(user: NewUser, manager: EntityManager = this.dataSource.manager): Promise<UserRecord | null> {
    const [row] = await manager.query(
      `INSERT INTO users (email, username, display_name, role, password_hash, kecamatan_codes, must_change_password)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT DO NOTHING
       RETURNING ${COLUMNS}`,
      [user.email, user.username.toLowerCase(), user.displayName, user.role, user.passwordHash, user.kecamatanCodes ?? null, user.mustChangePassword ?? false],
    );
    return row ?? null;
  }

  async update(
    id: string,
    changes: Partial<Pick<UserRecord, 'displayName' | 'role' | 'kecamatanCodes' | 'active' | 'mustChangePassword'>> & { passwordHash?: string },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<UserRecord | null> {
    const [row] = await manager.query(
      // UPDATE inside a CTE: TypeORM returns [rows, count] for a bare UPDATE, rows for a SELECT.
      `WITH updated AS (UPDATE users SET
         display_name = CASE WHEN $2::boolean THEN $3 ELSE display_name END,
         role = CASE WHEN $4::boolean THEN $5 ELSE role END,
         kecamatan_codes = CASE WHEN $6::boolean THEN $7::text[] ELSE kecamatan_codes END,
         active = CASE WHEN $8::boolean THEN $9 ELSE active END,
         must_change_password = CASE WHEN $10::boolean THEN $11 ELSE must_change_password END,
         password_hash = CASE WHEN $12::boolean THEN $13 ELSE password_hash END,
         password_changed_at = CASE WHEN $12::boolean THEN now() ELSE password_changed_at END,
         version = version + 1,
         updated_at = now()
       WHERE id = $1
       RETURNING ${COLUMNS}) SELECT * FROM updated`,
      [
        id,
        'displayName' in changes,
        changes.displayName ?? null,
        'role' in changes,
        changes.role ?? null,
        'kecamatanCodes' in changes,
        changes.kecamatanCodes ?? null,
        'active' in changes,
        changes.active ?? null,
        'mustChangePassword' in changes,
        changes.mustChangePassword ?? null,
        'passwordHash' in changes,
        changes.passwordHash ?? null,
      ],
    );
    return row ?? null;
  }

  /**
   * By username, a page at a time; `search` keeps the users whose username, email or name contains
   * it (case-insensitively, as typed: `%` and `_` match themselves).
   */
  async list(limit: number, after?: string, search?: string): Promise<{ users: UserRecord[]; nextCursor: string | null }> {
    const pattern = search ? `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const rows: UserRecord[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM users
        WHERE ($1::text IS NULL OR lower(username) > lower($1))
          AND ($3::text IS NULL OR username ILIKE $3 OR email ILIKE $3 OR display_name ILIKE $3)
        ORDER BY lower(username) LIMIT $2`,
      [after ?? null, limit + 1, pattern],
    );
    const more = rows.length > limit;
    const users = more ? rows.slice(0, limit) : rows;
    return { users, nextCursor: more ? users[users.length - 1].username : null };
  }

  async countActiveAdmins(manager: EntityManager = this.dataSource.manager): Promise<number> {
    const [row] = await manager.query(`SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND active`);
    return row.n;
  }

  /** Demo installations only: the generated passwords, shown on the sign-in page. */
  async saveDemoAccount(username: string, password: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(`INSERT INTO demo_accounts (username, password) VALUES ($1, $2) ON CONFLICT (username) DO NOTHING`, [username, password]);
  }

  async listDemoAccounts(): Promise<{ username: string; password: string; role: Role; displayName: string }[]> {
    return this.dataSource.query(
      `SELECT d.username, d.password, u.role, u.display_name AS "displayName"
         FROM demo_accounts d JOIN users u ON lower(u.username) = lower(d.username)
        WHERE u.active
        ORDER BY array_position(ARRAY['admin','planner','technician','mentor','viewer']::text[], u.role::text), d.username
        LIMIT 20`,
    );
  }
}
