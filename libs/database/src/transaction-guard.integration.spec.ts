import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { createDataSource } from './data-source';
import { DatabaseModule } from './database.module';
import { SecondConnectionError } from './transaction-guard';
import { useTestDatabase } from '../../../test/support/databases';

/**
 * On the embedded database a second connection waits while a transaction is open, so work that
 * asks for one inside a transaction would wait for ever: the guard refuses it on PostgreSQL as
 * well, at once, so that the whole test suite finds such code.
 */
describe('no second connection from inside a transaction', () => {
  const db = useTestDatabase();

  const checks = (dataSource: () => DataSource) => {
    it('refuses a query through the data source, and rolls the transaction back', async () => {
      await dataSource().query(`CREATE TABLE IF NOT EXISTS guard_probe (n int)`);
      await expect(
        dataSource().transaction(async (manager) => {
          await manager.query(`INSERT INTO guard_probe VALUES (1)`);
          await dataSource().query(`SELECT 1`);
        }),
      ).rejects.toThrow(SecondConnectionError);
      expect(await dataSource().query(`SELECT count(*)::int AS n FROM guard_probe`)).toEqual([{ n: 0 }]);
    });

    it('refuses a transaction opened inside another, also from work started there', async () => {
      await expect(dataSource().transaction(() => dataSource().transaction(async () => undefined))).rejects.toThrow(SecondConnectionError);
      const queryOnALaterTurn = () =>
        new Promise((resolve, reject) => {
          setImmediate(() => {
            dataSource().query(`SELECT 1`).then(resolve, reject);
          });
        });
      await expect(dataSource().transaction(queryOnALaterTurn)).rejects.toThrow(SecondConnectionError);
    });

    it("allows the transaction's own manager, and any connection once the transaction is over", async () => {
      let later: Promise<unknown> | undefined;
      let over!: () => void;
      const ended = new Promise<void>((resolve) => (over = resolve));
      const result = await dataSource().transaction(async (manager) => {
        // Set up inside the transaction, run once it is over: not refused.
        later = ended.then(() => dataSource().query(`SELECT 2 AS n`));
        return manager.query(`SELECT 1 AS n`);
      });
      over();
      expect(result).toEqual([{ n: 1 }]);
      expect(await later).toEqual([{ n: 2 }]);
      expect(await Promise.all([dataSource().query(`SELECT 3 AS n`), dataSource().query(`SELECT 4 AS n`)])).toEqual([[{ n: 3 }], [{ n: 4 }]]);
    });
  };

  describe('a data source from createDataSource (cli, tests)', () => checks(() => db.dataSource));

  it('refuses through dataSource.manager.transaction too, and leaves other data sources alone', async () => {
    await expect(db.dataSource.manager.transaction(() => db.dataSource.query(`SELECT 1`))).rejects.toThrow(SecondConnectionError);
    const other = createDataSource({ url: db.url, poolMax: 1 });
    await other.initialize();
    try {
      expect(await db.dataSource.transaction(() => other.query(`SELECT 5 AS n`))).toEqual([{ n: 5 }]);
    } finally {
      await other.destroy();
    }
  });

  describe('the data source of the api and the worker (DatabaseModule)', () => {
    let nest: { get(token: unknown): unknown; close(): Promise<void> };
    beforeAll(async () => {
      nest = await Test.createTestingModule({ imports: [DatabaseModule.forRoot({ url: db.url, poolMax: 3 })] }).compile();
    });
    afterAll(() => nest.close());
    checks(() => nest.get(DataSource) as DataSource);
  });
});
