import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MAX_TILE_ZOOM, TILE_BUDGET, TILE_PIXELS, type MapTile } from '@serat/contract';
import { MapTilesService } from '@serat/domain';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Access } from '../auth/access';

const tileParams = z
  .object({
    z: z.coerce.number().int().min(0).max(MAX_TILE_ZOOM).describe(`Tile zoom, 0–${MAX_TILE_ZOOM}`),
    x: z.coerce.number().int().min(0).describe('Tile column, 0 … 2^z − 1'),
    y: z.coerce.number().int().min(0).describe('Tile row, 0 … 2^z − 1, from the north'),
  })
  .superRefine((tile, context) => {
    for (const axis of ['x', 'y'] as const)
      if (tile[axis] >= 2 ** tile.z)
        context.addIssue({ code: 'custom', path: [axis], message: `must be less than 2^z (${2 ** tile.z} at zoom ${tile.z})`, params: { problem: 'tile_outside_grid' } });
  });
class TileParams extends createZodDto(tileParams) {}

@ApiTags('map')
@Controller('map/tiles')
export class TilesController {
  constructor(private readonly tiles: MapTilesService) {}

  @Get(':z/:x/:y')
  @Access('signed-in')
  // Always asked again, answered 304 from the ETag of the body when nothing under the tile changed.
  @Header('Cache-Control', 'private, no-cache')
  @ApiOperation({
    summary: `The network in one map tile (XYZ Web Mercator grid, drawn ${TILE_PIXELS} px wide): segments, nodes and sites`,
    description:
      `Whole features that lie in the tile (not clipped), lines simplified for the tile's zoom. Each layer holds at most ` +
      `${TILE_BUDGET.segments} segments, ${TILE_BUDGET.nodes} nodes and ${TILE_BUDGET.sites} sites: when more lie in the tile, it leaves out ` +
      `whole groups of lesser features (drops, then distribution; equipment of the last metres; other sites) and says so with ` +
      '`complete: false` and the number of groups it holds. Answers carry an ETag; send it back in If-None-Match for a 304.',
  })
  @ApiOkResponse({ description: 'MapTile: {z, x, y, bbox, segments, nodes, sites}, each layer {features, groups, complete}' })
  tile(@Param() params: TileParams): Promise<MapTile> {
    return this.tiles.tile(params);
  }
}
