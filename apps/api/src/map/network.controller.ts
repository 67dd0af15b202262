import { Controller, Get, Header, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { NodesPage, SegmentsPage, SitesPage } from '@serat/contract';
import { NodesRepository, SegmentsRepository, SitesRepository } from '@serat/domain';
import type { Request } from 'express';
import { PageQueryDto, toFeatureCollection, toPageQuery } from '../http/page-query';
import { Access } from '../auth/access';

const GEOJSON = 'application/geo+json; charset=utf-8';

@ApiTags('map')
@Controller()
export class NetworkController {
  constructor(
    private readonly sites: SitesRepository,
    private readonly nodes: NodesRepository,
    private readonly segments: SegmentsRepository,
  ) {}

  @Get('sites')
  @Access('signed-in')
  @Header('Content-Type', GEOJSON)
  @ApiOperation({ summary: 'Sites (agency offices, kantor kecamatan, …) with their derived areas and whether they are connected' })
  @ApiOkResponse({ description: 'FeatureCollection of Points' })
  async listSites(@Query() query: PageQueryDto, @Req() request: Request): Promise<SitesPage> {
    return toFeatureCollection(await this.sites.findFeatures(toPageQuery(query)), request);
  }

  @Get('nodes')
  @Access('signed-in')
  @Header('Content-Type', GEOJSON)
  @ApiOperation({ summary: 'Network nodes (NOC, ODC, ODP, joint closures, poles, terminations)' })
  @ApiOkResponse({ description: 'FeatureCollection of Points' })
  async listNodes(@Query() query: PageQueryDto, @Req() request: Request): Promise<NodesPage> {
    return toFeatureCollection(await this.nodes.findFeatures(toPageQuery(query)), request);
  }

  @Get('segments')
  @Access('signed-in')
  @Header('Content-Type', GEOJSON)
  @ApiOperation({ summary: 'Cable segments with status, placement and geodesic length in metres' })
  @ApiOkResponse({ description: 'FeatureCollection of LineStrings' })
  async listSegments(@Query() query: PageQueryDto, @Req() request: Request): Promise<SegmentsPage> {
    return toFeatureCollection(await this.segments.findFeatures(toPageQuery(query)), request);
  }
}
