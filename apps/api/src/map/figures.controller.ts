import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiNotModifiedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AreaFiguresPage, MapSummary } from '@serat/contract';
import { RollupsRepository } from '@serat/domain';
import { ADMIN_LEVELS } from '@serat/vocabulary';
import type { Request, Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Access } from '../auth/access';
import { nextPageUrl } from '../http/page-query';
import { withValidator } from '../http/validator';

export const DEFAULT_AREA_FIGURES_PAGE_SIZE = 100;
export const MAX_AREA_FIGURES_PAGE_SIZE = 500;

const phase = z.uuid().optional().describe('Only what this phase (work package) builds; nodes have no phase, so they are empty then');

const summaryQuerySchema = z.object({ phase });
class SummaryQueryDto extends createZodDto(summaryQuerySchema) {}

const areaFiguresQuerySchema = z.object({
  level: z.enum(ADMIN_LEVELS).default('kecamatan').describe('kabupaten, kecamatan or desa'),
  parent: z
    .string()
    .regex(/^\d{2}(\.\d{2}){0,2}$/, { error: 'must be a Kemendagri code like 62.02 or 62.02.05' })
    .optional()
    .describe('Only the areas inside this one (a kabupaten or a kecamatan), by Kemendagri code'),
  phase,
  limit: z.coerce.number().int().min(1).max(MAX_AREA_FIGURES_PAGE_SIZE).default(DEFAULT_AREA_FIGURES_PAGE_SIZE).describe(`Page size, at most ${MAX_AREA_FIGURES_PAGE_SIZE}`),
  after: z
    .string()
    .regex(/^\d{2}(\.\d{2}){0,2}(\.\d{4})?$/, { error: 'must be the code of an area (from `next`)' })
    .optional()
    .describe('Cursor: the code of the last area of the previous page (from `next`)'),
});
class AreaFiguresQueryDto extends createZodDto(areaFiguresQuerySchema) {}

const IF_NONE_MATCH = { name: 'If-None-Match', required: false, description: 'The ETag of the copy the client has: 304 without a body while the figures are the same' };

/** The network's figures from the database's roll-ups (RollupsRepository): what the map shows without downloading the network. */
@ApiTags('map')
@Controller()
export class FiguresController {
  constructor(private readonly rollups: RollupsRepository) {}

  @Get('map/summary')
  @Access('signed-in')
  @ApiOperation({ summary: 'The whole network in figures: segments (count, metres) and nodes per status, sites per kind (total, connected)' })
  @ApiHeader(IF_NONE_MATCH)
  @ApiOkResponse({ description: 'MapSummary { phaseId, segments: [{status, count, lengthM}], nodes: [{status, count}], sites: [{kind, total, connected}] }, with an ETag' })
  @ApiNotModifiedResponse({ description: 'The figures are those of the ETag sent in If-None-Match' })
  async summary(@Query() query: SummaryQueryDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<MapSummary | undefined> {
    const phaseId = query.phase ?? null;
    const figures = await this.rollups.summary({ phaseId });
    return withValidator<MapSummary>(request, response, { phaseId, ...figures });
  }

  @Get('areas/figures')
  @Access('signed-in')
  @ApiOperation({ summary: 'Each area of a level (by code, those without a network too) with its figures; a segment counts in each area it crosses, by the metres inside it' })
  @ApiHeader(IF_NONE_MATCH)
  @ApiOkResponse({ description: 'AreaFiguresPage { areas: [{code, name, level, parentCode, segments, nodes, sites}], phaseId, numberReturned, next }, with an ETag' })
  @ApiNotModifiedResponse({ description: 'The figures are those of the ETag sent in If-None-Match' })
  async areaFigures(@Query() query: AreaFiguresQueryDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<AreaFiguresPage | undefined> {
    const phaseId = query.phase ?? null;
    const page = await this.rollups.areaFigures({ level: query.level, parentCode: query.parent ?? null, after: query.after ?? null, limit: query.limit, phaseId });
    return withValidator<AreaFiguresPage>(request, response, {
      areas: page.areas,
      phaseId,
      numberReturned: page.areas.length,
      next: nextPageUrl(request, page.nextCursor),
    });
  }
}
