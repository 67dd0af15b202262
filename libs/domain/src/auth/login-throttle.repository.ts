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

/**
 * Failed sign-ins per key ("acct:<login>", "ip:<address>"), kept in the database so every api
 * replica sees the same counts.
 */
@Injectable()
export class LoginThrottleRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Seconds to wait before the next attempt for the most locked of the keys; 0 when free. */
  async lockedForS(keys: string[]): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT coalesce(ceil(max(extract(epoch FROM locked_until - now()))), 0)::int AS s
         FROM login_throttle WHERE key = ANY($1) AND locked_until > now()`,
      [keys],
    );
    return Math.max(0, row.s);
  }

  /** Counts a failure and sets the delay that follows from the count. */
  async recordFailure(key: string, rule: ThrottleRule): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO login_throttle AS t (key, failures, last_failure_at) VALUES ($1, 1, now())
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN t.last_failure_at < now() - make_interval(secs => $2) THEN 1 ELSE t.failures + 1 END,
         last_failure_at = now()`,
      [key, rule.windowS],
    );
    await this.dataSource.query(
      `UPDATE login_throttle
          SET locked_until = now() + make_interval(secs => least($3::float8, $2::float8 * power(2, failures - $4 - 1)))
        WHERE key = $1 AND failures > $4`,
      [key, rule.firstDelayS, rule.maxDelayS, rule.freeFailures],
    );
  }

  async clear(key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_throttle WHERE key = $1`, [key]);
  }
}
