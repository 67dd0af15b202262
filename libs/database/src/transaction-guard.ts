import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/**
 * Work inside a transaction asked for a second connection of the same data source (a
 * repository called without the transaction's manager, a progress write, a nested
 * transaction). On PostgreSQL that merely costs a connection; on the embedded database, where
 * one engine serves every connection and a second one waits while a transaction is open, it
 * waits for the transaction that is waiting for it, until the connect timeout. So it is refused
 * on both, at once and with the place in the stack.
 */
export class SecondConnectionError extends Error {
  constructor() {
    super(
      'A query asked for a second database connection while this code holds a transaction open. ' +
        'Pass the transaction\'s manager to the repository (or do the work before or after the transaction): ' +
        'on the embedded database a second connection waits until the transaction ends, which it never does.',
    );
    this.name = 'SecondConnectionError';
  }
}

/** Set while a transaction's work runs, in that work's async context (and whatever it starts). */
const inTransaction = new AsyncLocalStorage<{ open: boolean }>();

const GUARDED = Symbol('serat.transactionGuard');

/**
 * Makes `dataSource` refuse a new query runner (a connection from the pool) while the calling
 * code runs inside one of its transactions. Every transaction in Serat is opened through
 * `dataSource.transaction(work)`; work started inside it inherits the mark, and the mark is
 * cleared when the transaction ends, so work that outlives it (a timer) is not refused later.
 */
export function guardTransactions(dataSource: DataSource): DataSource {
  const guarded = dataSource as DataSource & { [GUARDED]?: true };
  if (guarded[GUARDED]) return dataSource;
  guarded[GUARDED] = true;

  const createQueryRunner = dataSource.createQueryRunner.bind(dataSource);
  dataSource.createQueryRunner = (mode?: 'master' | 'slave'): QueryRunner => {
    if (inTransaction.getStore()?.open) throw new SecondConnectionError();
    return createQueryRunner(mode);
  };

  const transaction = dataSource.transaction.bind(dataSource) as (...args: unknown[]) => Promise<unknown>;
  dataSource.transaction = ((...args: unknown[]) => {
    const work = args[args.length - 1] as (manager: EntityManager) => Promise<unknown>;
    const marked = async (manager: EntityManager) => {
      const mark = { open: true };
      try {
        return await inTransaction.run(mark, () => work(manager));
      } finally {
        mark.open = false;
      }
    };
    return transaction(...args.slice(0, -1), marked);
  }) as DataSource['transaction'];
  return dataSource;
}
