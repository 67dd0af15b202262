import { Controller, Get, Header, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AreasPage } from '@serat/contract';
import { AreasRepository } from '@serat/domain';
import { ADMIN_LEVELS } from '@serat/vocabulary';
import type { Request } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageQuerySchema, toFeatureCollection, toPageQuery } from '../http/page-query';
import { Access } from '../auth/access';

const areasQuerySchema = pageQuerySchema.extend({
  level: z.enum(ADMIN_LEVELS).default('kecamatan').describe('kabupaten, kecamatan or desa'),
  parent: z
    .string()
    .regex(/^\d{2}(\.\d{2}){0,2}$/, { error: 'must be a Kemendagri code like 62.02 or 62.02.05' })
    .optional()
    .describe('Only the areas inside this one, by Kemendagri code'),
});
class AreasQueryDto extends createZodDto(areasQuerySchema) {}

@ApiTags('map')
@Controller('areas')
export class AreasController {
  constructor(private readonly areas: AreasRepository) {}

  @Get()
  @Access('signed-in')
  @Header('Content-Type', 'application/geo+json; charset=utf-8')
  @ApiOperation({ summary: 'Admin areas (kabupaten, kecamatan, desa) as a GeoJSON FeatureCollection' })
  @ApiOkResponse({ description: 'FeatureCollection; feature id is the Kemendagri code' })
  async list(@Query() query: AreasQueryDto, @Req() request: Request): Promise<AreasPage> {
    const page = await this.areas.findFeatures(query.level, toPageQuery(query), query.parent);
    return toFeatureCollection(page, request);
  }
}
