import { Module } from '@nestjs/common';
import { NetworkModule } from '../network/network.module';
import { InventoryRepository } from './inventory.repository';

/** The inventory list: the network as sorted, filtered, paged rows. */
@Module({ imports: [NetworkModule], providers: [InventoryRepository], exports: [InventoryRepository] })
export class InventoryModule {}
