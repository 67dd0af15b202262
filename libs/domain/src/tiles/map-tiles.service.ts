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
    // The three layers at once, each on a connection of the pool (on the embedded database they
    // take turns on its one engine, a whole request cycle at a time).
    const [sites, segments, nodes] = await Promise.all([this.sites.findInTile(window), this.segments.findInTile(window), this.nodes.findInTile(window)]);
    return { z: address.z, x: address.x, y: address.y, bbox, segments, nodes, sites };
  }
}
