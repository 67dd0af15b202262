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
        "Pass the transaction's manager to the repository (or do the work before or after the transaction): " +
        'on the embedded database a second connection waits until the transaction ends, which it never does.',
    );
    this.name = 'SecondConnectionError';
  }
}

/** Set while a transaction's work runs, in that work's async context (and whatever it starts), naming its data source. */
const inTransaction = new AsyncLocalStorage<{ open: boolean; dataSource: DataSource }>();

const GUARDED = Symbol('serat.transactionGuard');

/**
 * Makes `dataSource` refuse a new query runner (a connection from its pool) while the calling
 * code runs inside one of its transactions. Transactions are opened through
 * `dataSource.transaction(work)`, which runs `dataSource.manager.transaction`: that is where the
 * mark is set, so both ways are covered. Work started inside inherits the mark, and the mark is
 * cleared when the transaction ends, so work that outlives it (a timer) is not refused later.
 * Another data source (another database) is not affected.
 */
export function guardTransactions(dataSource: DataSource): DataSource {
  const guarded = dataSource as DataSource & { [GUARDED]?: true };
  if (guarded[GUARDED]) return dataSource;
  guarded[GUARDED] = true;

  const createQueryRunner = dataSource.createQueryRunner.bind(dataSource);
  dataSource.createQueryRunner = (mode?: 'master' | 'slave'): QueryRunner => {
    const mark = inTransaction.getStore();
    if (mark?.open && mark.dataSource === dataSource) throw new SecondConnectionError();
    return createQueryRunner(mode);
  };

  const manager = dataSource.manager;
  const transaction = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  // transaction(work) or transaction(isolationLevel, work); DataSource.transaction passes both
  // places, the second one undefined when no level is given.
  manager.transaction = ((first: unknown, second?: unknown) => {
    const isolation = typeof first === 'function' ? undefined : first;
    const work = (typeof first === 'function' ? first : second) as (manager: EntityManager) => Promise<unknown>;
    const marked = async (transactional: EntityManager) => {
      const mark = { open: true, dataSource };
      try {
        return await inTransaction.run(mark, () => work(transactional));
      } finally {
        mark.open = false;
      }
    };
    return isolation === undefined ? transaction(marked) : transaction(isolation, marked);
  }) as EntityManager['transaction'];
  return dataSource;
}
