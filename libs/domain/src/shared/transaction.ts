import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/**
 * SQLSTATEs that mean "two transactions got in each other's way; the same work may well succeed
 * when run again": serialization_failure (40001) and deadlock_detected (40P01).
 */
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);

export function isTransactionConflict(error: unknown): boolean {
  const err = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = err?.code ?? err?.driverError?.code;
  return typeof code === 'string' && RETRYABLE_SQLSTATES.has(code);
}

export interface RetryPolicy {
  /** Runs in all, the first included. */
  attempts: number;
  /** The wait before the second run; it doubles for each further one, then gets ±50 % jitter. */
  firstDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/**
 * Four runs with 10 ms, 20 ms, 40 ms (±50 %) between them: a deadlock between two requests is
 * over after one retry; the jitter keeps two victims from colliding again in step.
 */
export const TRANSACTION_RETRY: RetryPolicy = { attempts: 4, firstDelayMs: 10 };

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `run` again after a serialization failure or deadlock, a few times with a short jittered
 * wait; any other failure, and the last conflict, go to the caller. `run` must be a whole
 * transaction (the failed one has been rolled back), never a part of one.
 */
export async function retryOnConflict<T>(run: () => Promise<T>, policy: RetryPolicy = TRANSACTION_RETRY): Promise<T> {
  const sleep = policy.sleep ?? wait;
  const random = policy.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= policy.attempts || !isTransactionConflict(error)) throw error;
      await sleep(policy.firstDelayMs * 2 ** (attempt - 1) * (0.5 + random()));
    }
  }
}

/** One transaction, run again when it loses a deadlock or a serialization check (see retryOnConflict). */
export function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>, policy?: RetryPolicy): Promise<T> {
  return retryOnConflict(() => dataSource.transaction(work), policy);
}

/**
 * Where services open transactions, the only place: one call is one transaction, retried as
 * inTransaction says. The work gets the transaction's manager to hand to repositories; a service
 * never holds the DataSource itself.
 */
@Injectable()
export class UnitOfWork {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, work);
  }
}
