import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dataSourceOptions, DatabaseSettings } from './data-source';
import { guardTransactions } from './transaction-guard';

/** The TypeORM connection for a Nest application (api or worker). */
@Module({})
export class DatabaseModule {
  static forRoot(settings: DatabaseSettings): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...dataSourceOptions(settings), retryAttempts: 0 }),
          // The same guard as createDataSource: no second connection from inside a transaction.
          dataSourceFactory: async (options) => guardTransactions(new DataSource(options!)).initialize(),
        }),
      ],
      exports: [TypeOrmModule],
    };
  }
}
