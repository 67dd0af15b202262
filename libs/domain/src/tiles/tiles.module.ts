import { Module } from '@nestjs/common';
import { NetworkModule } from '../network/network.module';
import { SitesModule } from '../sites/sites.module';
import { MapTilesService } from './map-tiles.service';

/** The map's tiles: the network a box at a time, bounded, for the zoom it is drawn at. */
@Module({ imports: [NetworkModule, SitesModule], providers: [MapTilesService], exports: [MapTilesService] })
export class TilesModule {}
