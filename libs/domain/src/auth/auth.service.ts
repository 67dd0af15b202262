import { Injectable } from '@nestjs/common';
import { AuditContext, AuditRepository } from '../audit/audit.repository';
import { DomainError } from '../shared/domain-error';
import { UnitOfWork } from '../shared/transaction';
import { AuthTokensRepository, TokenKind, ValidToken } from './auth-tokens.repository';
import { LoginThrottleRepository, ThrottleRule } from './login-throttle.repository';
import { DUMMY_HASH, PasswordHasher } from './password-hasher';
import { passwordProblems } from './password-policy';
import { newSecret, sha256Hex } from './secrets';
import { UserRecord, UsersRepository } from './users.repository';

/** Five failures on one account, then 30 s, 60 s, 120 s … up to 15 minutes. */
export const ACCOUNT_THROTTLE: ThrottleRule = { freeFailures: 5, firstDelayS: 30, maxDelayS: 900, windowS: 3600 };
/** One address may fail more often (an office behind one NAT), then the same growing delay. */
export const ADDRESS_THROTTLE: ThrottleRule = { freeFailures: 20, firstDelayS: 30, maxDelayS: 900, windowS: 3600 };

export const TOKEN_LIFETIMES_S = {
  session: 12 * 3600,
  access: 15 * 60,
  refresh: 30 * 24 * 3600,
  personalDefault: 90 * 24 * 3600,
  personalMax: 365 * 24 * 3600,
} as const;

const PREFIX: Record<TokenKind, string> = { session: 'srt_s_', access: 'srt_a_', refresh: 'srt_r_', personal: 'srt_p_' };

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export interface BrowserSession {
  user: UserRecord;
  sessionToken: string;
  csrfToken: string;
  expiresAt: Date;
}

export interface ApiTokens {
  user: UserRecord;
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

function publicUser(user: UserRecord & { passwordHash?: string }): UserRecord {
  const { passwordHash: _hidden, ...rest } = user;
  return rest;
}

/** Signing in and out, tokens, and changing one's own password. */
@Injectable()
export class AuthService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly users: UsersRepository,
    private readonly tokens: AuthTokensRepository,
    private readonly throttle: LoginThrottleRepository,
    private readonly audit: AuditRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  /**
   * Checks the password. Unknown account and wrong password give the same error and take the
   * same time (a dummy hash is verified); both count against the account and the address.
   * The attempt is counted before the password is checked, in one step with the decision
   * whether it may be checked (see LoginThrottleRepository.claim): guesses sent at once get no
   * more checks than guesses sent one after another.
   */
  private async checkCredentials(login: string, password: string, client: ClientInfo): Promise<UserRecord> {
    const user = await this.users.findForLogin(login.trim());
    // By account, so its email and its username share one allowance; a login that names no
    // account is counted under itself, and waits exactly as long as an account would.
    const accountKey = user ? `acct:${user.id}` : `login:${login.trim().toLowerCase()}`;
    const account = await this.throttle.claim(accountKey, ACCOUNT_THROTTLE);
    if (!account.allowed) throw new DomainError('TOO_MANY_ATTEMPTS', { retryAfterS: account.retryAfterS });
    const address = await this.throttle.claim(`ip:${client.ip ?? 'unknown'}`, ADDRESS_THROTTLE);
    if (!address.allowed) {
      // Not checked, so not a failure of the account.
      await this.throttle.release(account);
      throw new DomainError('TOO_MANY_ATTEMPTS', { retryAfterS: address.retryAfterS });
    }

    const passwordOk = await this.hasher.verify(user?.passwordHash ?? DUMMY_HASH, password);
    if (!user || !passwordOk || !user.active) {
      await this.audit.append(
        { action: 'login_failed', entityType: 'user', entityId: user?.id ?? null },
        { actorId: null, actorLabel: `login:${login.slice(0, 100)}`, ip: client.ip, requestId: client.requestId },
      );
      throw new DomainError('INVALID_CREDENTIALS');
    }
    // A success forgets the account's failures, and was never a failure of the address.
    await this.throttle.clear(accountKey);
    await this.throttle.release(address);
    return publicUser(user);
  }

  private async issue(user: UserRecord, kind: TokenKind, client: ClientInfo, extra: { parentId?: string; name?: string; lifetimeS?: number; csrf?: string } = {}) {
    const secret = newSecret(PREFIX[kind]);
    const expiresAt = new Date(Date.now() + 1000 * (extra.lifetimeS ?? TOKEN_LIFETIMES_S[kind as 'session' | 'access' | 'refresh']));
    const id = await this.tokens.insert({
      userId: user.id,
      kind,
      tokenHash: sha256Hex(secret),
      csrfHash: extra.csrf ? sha256Hex(extra.csrf) : null,
      parentId: extra.parentId ?? null,
      name: extra.name ?? null,
      expiresAt,
      createdIp: client.ip,
      userAgent: client.userAgent?.slice(0, 300) ?? null,
    });
    return { id, secret, expiresAt };
  }

  async loginBrowser(login: string, password: string, client: ClientInfo): Promise<BrowserSession> {
    const user = await this.checkCredentials(login, password, client);
    const csrfToken = newSecret('');
    const session = await this.issue(user, 'session', client, { csrf: csrfToken });
    await this.audit.append({ action: 'login', entityType: 'user', entityId: user.id, changes: null }, this.contextOf(user, client));
    return { user, sessionToken: session.secret, csrfToken, expiresAt: session.expiresAt };
  }

  async loginApi(login: string, password: string, client: ClientInfo): Promise<ApiTokens> {
    const user = await this.checkCredentials(login, password, client);
    const tokens = await this.issuePair(user, client);
    await this.audit.append({ action: 'login', entityType: 'user', entityId: user.id }, this.contextOf(user, client));
    return tokens;
  }

  private async issuePair(user: UserRecord, client: ClientInfo): Promise<ApiTokens> {
    const refresh = await this.issue(user, 'refresh', client);
    const access = await this.issue(user, 'access', client, { parentId: refresh.id });
    return { user, accessToken: access.secret, accessTokenExpiresAt: access.expiresAt, refreshToken: refresh.secret, refreshTokenExpiresAt: refresh.expiresAt };
  }

  /** Trades a refresh token for a new pair; the old one and its access tokens stop working. */
  async refresh(refreshToken: string, client: ClientInfo): Promise<ApiTokens> {
    const found = await this.tokens.findValid(sha256Hex(refreshToken));
    if (!found || found.kind !== 'refresh') throw new DomainError('INVALID_CREDENTIALS');
    await this.tokens.revokeFamily(found.tokenId);
    return this.issuePair(found.user, client);
  }

  /** The signed-in user behind a secret, or null when it is unknown, expired or revoked. */
  async authenticate(secret: string): Promise<ValidToken | null> {
    if (!/^srt_[sap]_[A-Za-z0-9_-]{43}$/.test(secret)) return null;
    const found = await this.tokens.findValid(sha256Hex(secret));
    if (!found || found.kind === 'refresh') return null;
    await this.tokens.touch(found.tokenId);
    return found;
  }

  csrfMatches(token: ValidToken, csrfHeader: string | undefined): boolean {
    return Boolean(token.csrfHash && csrfHeader && sha256Hex(csrfHeader) === token.csrfHash);
  }

  /** Ends the session, or the access token with the refresh token it came from. */
  async logout(token: ValidToken, client: ClientInfo): Promise<void> {
    await this.tokens.revokeFamily(token.kind === 'access' && token.parentId ? token.parentId : token.tokenId);
    await this.audit.append({ action: 'logout', entityType: 'user', entityId: token.user.id }, this.contextOf(token.user, client));
  }

  async createPersonalToken(user: UserRecord, name: string, lifetimeDays: number | undefined, client: ClientInfo) {
    const lifetimeS = Math.min(TOKEN_LIFETIMES_S.personalMax, lifetimeDays ? lifetimeDays * 86400 : TOKEN_LIFETIMES_S.personalDefault);
    const token = await this.issue(user, 'personal', client, { name, lifetimeS });
    await this.audit.append({ action: 'create', entityType: 'api_token', entityId: token.id, changes: { name: { before: null, after: name } } }, this.contextOf(user, client));
    return { id: token.id, token: token.secret, name, expiresAt: token.expiresAt };
  }

  listPersonalTokens(user: UserRecord) {
    return this.tokens.listPersonal(user.id);
  }

  async revokePersonalToken(user: UserRecord, tokenId: string, client: ClientInfo): Promise<void> {
    const owned = await this.tokens.findOwned(tokenId, user.id);
    if (!owned) throw new DomainError('NOT_FOUND');
    await this.tokens.revokeFamily(tokenId);
    await this.audit.append({ action: 'revoke', entityType: 'api_token', entityId: tokenId }, this.contextOf(user, client));
  }

  /** Changes one's own password; every other session and token of the user is revoked. */
  async changePassword(token: ValidToken, currentPassword: string, newPassword: string, client: ClientInfo): Promise<void> {
    const user = await this.users.findById(token.user.id);
    if (!user || !(await this.hasher.verify(user.passwordHash, currentPassword))) throw new DomainError('INVALID_CREDENTIALS');
    const problems = passwordProblems(newPassword, [user.email, user.username, user.displayName]);
    if (newPassword === currentPassword) problems.push('same_as_current');
    if (problems.length) throw new DomainError('WEAK_PASSWORD', { problems });
    const passwordHash = await this.hasher.hash(newPassword);
    await this.unitOfWork.run(async (manager) => {
      await this.users.update(user.id, { passwordHash, mustChangePassword: false }, manager);
      await this.tokens.revokeAllOf(user.id, token.tokenId, manager);
      await this.audit.append(
        { action: 'password_changed', entityType: 'user', entityId: user.id, changes: { password: { before: '(hidden)', after: '(changed)' } } },
        this.contextOf(user, client),
        manager,
      );
    });
  }

  private contextOf(user: Pick<UserRecord, 'id' | 'username'>, client: ClientInfo): AuditContext {
    return { actorId: user.id, actorLabel: user.username, ip: client.ip, requestId: client.requestId };
  }
}
