import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { UserRecord } from './users.repository';

export type TokenKind = 'session' | 'access' | 'refresh' | 'personal';

export interface NewToken {
  userId: string;
  kind: TokenKind;
  tokenHash: string;
  csrfHash?: string | null;
  parentId?: string | null;
  name?: string | null;
  expiresAt: Date;
  createdIp?: string | null;
  userAgent?: string | null;
}

export interface ValidToken {
  tokenId: string;
  kind: TokenKind;
  csrfHash: string | null;
  parentId: string | null;
  expiresAt: Date;
  user: UserRecord;
}

export interface TokenInfo {
  id: string;
  kind: TokenKind;
  name: string | null;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Sessions and tokens, stored as SHA-256 hashes: a leaked table gives no usable secret. */
@Injectable()
export class AuthTokensRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(token: NewToken, manager: EntityManager = this.dataSource.manager): Promise<string> {
    const [row] = await manager.query(
      `INSERT INTO auth_tokens (user_id, kind, token_hash, csrf_hash, parent_id, name, expires_at, created_ip, user_agent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        token.userId,
        token.kind,
        token.tokenHash,
        token.csrfHash ?? null,
        token.parentId ?? null,
        token.name ?? null,
        token.expiresAt,
        token.createdIp ?? null,
        token.userAgent ?? null,
      ],
    );
    return row.id;
  }

  /** A token that exists, is not revoked or expired, of an active user; null otherwise. */
  async findValid(tokenHash: string): Promise<ValidToken | null> {
    const [row] = await this.dataSource.query(
      `SELECT t.id AS "tokenId", t.kind, t.csrf_hash AS "csrfHash", t.parent_id AS "parentId", t.expires_at AS "expiresAt",
              json_build_object('id', u.id, 'email', u.email, 'username', u.username, 'displayName', u.display_name,
                'role', u.role, 'kecamatanCodes', u.kecamatan_codes, 'active', u.active,
                'mustChangePassword', u.must_change_password, 'version', u.version) AS user
         FROM auth_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now() AND u.active`,
      [tokenHash],
    );
    return row ?? null;
  }

  /** Records use at most once a minute, so reading the map does not write on every request. */
  async touch(tokenId: string): Promise<void> {
    await this.dataSource.query(`UPDATE auth_tokens SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`, [tokenId]);
  }

  /** Revokes a token and every token issued under it (an access token under its refresh token). */
  async revokeFamily(tokenId: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const [row] = await manager.query(
      `WITH RECURSIVE family(id) AS (
         SELECT id FROM auth_tokens WHERE id = $1
         UNION SELECT t.id FROM auth_tokens t JOIN family f ON t.parent_id = f.id
       ), revoked AS (
         UPDATE auth_tokens SET revoked_at = now() WHERE id IN (SELECT id FROM family) AND revoked_at IS NULL RETURNING id
       )
       SELECT count(*)::int AS n FROM revoked`,
      [tokenId],
    );
    return row.n;
  }

  /** Revokes every session and token of a user (password changed or reset, account disabled). */
  async revokeAllOf(userId: string, exceptTokenId: string | null, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const [row] = await manager.query(
      `WITH revoked AS (
         UPDATE auth_tokens SET revoked_at = now()
          WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR (id <> $2 AND parent_id IS DISTINCT FROM $2))
         RETURNING id
       ) SELECT count(*)::int AS n FROM revoked`,
      [userId, exceptTokenId],
    );
    return row.n;
  }

  async listPersonal(userId: string): Promise<TokenInfo[]> {
    return this.dataSource.query(
      `SELECT id, kind, name, created_at AS "createdAt", expires_at AS "expiresAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
         FROM auth_tokens WHERE user_id = $1 AND kind = 'personal' AND revoked_at IS NULL AND expires_at > now()
        ORDER BY created_at DESC LIMIT 100`,
      [userId],
    );
  }

  async findOwned(tokenId: string, userId: string): Promise<{ id: string } | null> {
    const [row] = await this.dataSource.query(`SELECT id FROM auth_tokens WHERE id = $1 AND user_id = $2 AND kind = 'personal'`, [tokenId, userId]);
    return row ?? null;
  }
}
