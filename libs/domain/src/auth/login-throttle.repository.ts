import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface ThrottleRule {
  /** Failures allowed before a delay starts. */
  freeFailures: number;
  /** The first delay in seconds; it doubles with every further failure. */
  firstDelayS: number;
  maxDelayS: number;
  /** Failures older than this are forgotten. */
  windowS: number;
}

/** The outcome of asking to check one more password. */
export type ThrottleClaim = { allowed: true; key: string; lockedUntil: string | null } | { allowed: false; key: string; retryAfterS: number };

/**
 * SQL of the count after one more attempt at the row `t` ($2: the window in seconds), and of the
 * wait that count sets ($3 longest wait, $4 free failures, $5 first wait): none below the
 * allowance, then 30 s, 60 s, 120 s … Fixed text, no values: those stay bound parameters.
 */
const NEXT_COUNT = `(CASE WHEN t.last_failure_at < now() - make_interval(secs => $2) THEN 1 ELSE t.failures + 1 END)`;
const waitAfter = (count: string) => `CASE WHEN ${count} >= $4 THEN now() + make_interval(secs => least($3::float8, $5::float8 * power(2, ${count} - $4))) END`;

/**
 * Sign-in attempts per key ("acct:<account id>", "login:<unknown login>", "ip:<address>"), kept
 * in the database so every api replica sees the same counts. An attempt is counted before its
 * password is checked, in the same statement that decides whether it may be checked at all, so
 * attempts sent at once cannot all pass a check made before any of them was counted.
 * `failures` therefore counts failed attempts and those being checked right now.
 */
@Injectable()
export class LoginThrottleRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Counts an attempt unless the key is waiting; the attempt that reaches the allowance sets the
   * wait for the next one (30 s, then doubling). One statement: the row lock of ON CONFLICT
   * serializes attempts at the same key, and its WHERE sees the count the previous one left.
   * No row back means the key is waiting and nothing was counted.
   */
  async claim(key: string, rule: ThrottleRule): Promise<ThrottleClaim> {
    const rows: { lockedUntil: string | null }[] = await this.dataSource.query(
      `WITH counted AS (
         INSERT INTO login_throttle AS t (key, failures, last_failure_at, locked_until)
         VALUES ($1, 1, now(), ${waitAfter('1')})
         ON CONFLICT (key) DO UPDATE SET failures = ${NEXT_COUNT}, last_failure_at = now(), locked_until = ${waitAfter(NEXT_COUNT)}
         WHERE t.locked_until IS NULL OR t.locked_until <= now()
         RETURNING t.locked_until)
       SELECT locked_until::text AS "lockedUntil" FROM counted`,
      [key, rule.windowS, rule.maxDelayS, rule.freeFailures, rule.firstDelayS],
    );
    if (rows.length) return { allowed: true, key, lockedUntil: rows[0].lockedUntil };
    const [row] = await this.dataSource.query(`SELECT greatest(1, ceil(extract(epoch FROM locked_until - now())))::int AS s FROM login_throttle WHERE key = $1`, [key]);
    // The wait can end between the two statements; the client then simply tries again after 1 s.
    return { allowed: false, key, retryAfterS: row?.s ?? 1 };
  }

  /**
   * Takes back an attempt that turned out not to be a failure (a right password, or one never
   * checked because another key was waiting), and the wait it set, unless a later attempt has
   * set another since. `lockedUntil` is the exact value the claim left (text, to the microsecond).
   */
  async release(claim: Extract<ThrottleClaim, { allowed: true }>): Promise<void> {
    await this.dataSource.query(
      `UPDATE login_throttle
          SET failures = greatest(failures - 1, 0),
              locked_until = CASE WHEN locked_until = $2::timestamptz THEN NULL ELSE locked_until END
        WHERE key = $1`,
      [claim.key, claim.lockedUntil],
    );
  }

  async clear(key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_throttle WHERE key = $1`, [key]);
  }
}
