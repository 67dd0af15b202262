import { Injectable } from '@nestjs/common';
import { tileBbox, tileDetail, type MapTile, type TileAddress } from '@serat/contract';
import { NodesRepository } from '../network/nodes.repository';
import { SegmentsRepository } from '../network/segments.repository';
import { SitesRepository } from '../sites/sites.repository';
import type { TileWindow } from '../shared/tile-window';

/**
 * One tile of the map (GET /api/map/tiles/{z}/{x}/{y}): what the map draws of the network in it,
 * each layer within its budget, lines simplified for the tile's zoom. Its answer depends on the
 * network alone (not on who asks), so equal tiles have equal bytes and the api's validator
 * (the ETag of the body) tells a browser that its copy is still current.
 */
@Injectable()
export class MapTilesService {
  constructor(
    private readonly segments: SegmentsRepository,
    private readonly nodes: NodesRepository,
    private readonly sites: SitesRepository,
  ) {}

  async tile(address: TileAddress): Promise<MapTile> {
    const bbox = tileBbox(address);
    const window: TileWindow = { bbox, ...tileDetail(address.z) };
    // One layer after another: sites first, since their "connected" may bring the network's
    // derived table up to date in a transaction, and on the embedded database (one engine) a
    // read beside that transaction was seen to get no rows at all.
    const sites = await this.sites.findInTile(window);
    const segments = await this.segments.findInTile(window);
    const nodes = await this.nodes.findInTile(window);
    return { z: address.z, x: address.x, y: address.y, bbox, segments, nodes, sites };
  }
}
