import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { InventoryPage } from '@serat/contract';
import { InventoryRepository } from '@serat/domain';
import { createZodDto } from 'nestjs-zod';
import { Access } from '../auth/access';
import { nodeListSchema, segmentListSchema, siteListSchema, toInventoryFilter } from './inventory-query';

class SegmentListDto extends createZodDto(segmentListSchema) {}
class NodeListDto extends createZodDto(nodeListSchema) {}
class SiteListDto extends createZodDto(siteListSchema) {}

/**
 * The inventory list: the network as rows (no geometry), searched, filtered, sorted and paged on
 * the server. The same filter at /api/exports/<layer>.<format> downloads every page of it.
 */
@ApiTags('inventory')
@Controller('inventory')
export class InventoryController {
  constructor(private readonly inventory: InventoryRepository) {}

  @Get('segments')
  @Access('signed-in')
  @ApiOperation({ summary: 'Segments as rows: code, status, tier, placement, length, phase, the kecamatan and desa crossed; paged by offset' })
  segments(@Query() query: SegmentListDto): Promise<InventoryPage<'segments'>> {
    return this.inventory.list('segments', { filter: toInventoryFilter(query), sort: query.sort, order: query.order, offset: query.offset, limit: query.limit });
  }

  @Get('nodes')
  @Access('signed-in')
  @ApiOperation({ summary: 'Nodes as rows: code, name, kind, status, kecamatan and desa; paged by offset' })
  nodes(@Query() query: NodeListDto): Promise<InventoryPage<'nodes'>> {
    return this.inventory.list('nodes', { filter: toInventoryFilter(query), sort: query.sort, order: query.order, offset: query.offset, limit: query.limit });
  }

  @Get('sites')
  @Access('signed-in')
  @ApiOperation({ summary: 'Sites as rows: code, name, kind, whether connected, phase, kecamatan and desa; paged by offset' })
  sites(@Query() query: SiteListDto): Promise<InventoryPage<'sites'>> {
    return this.inventory.list('sites', { filter: toInventoryFilter(query), sort: query.sort, order: query.order, offset: query.offset, limit: query.limit });
  }
}
