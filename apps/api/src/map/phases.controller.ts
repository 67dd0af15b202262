import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { PhasesPage } from '@serat/contract';
import { PhasesRepository } from '@serat/domain';
import type { Request } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Access } from '../auth/access';
import { nextPageUrl } from '../http/page-query';

export const DEFAULT_PHASE_PAGE_SIZE = 100;
export const MAX_PHASE_PAGE_SIZE = 500;

const phasesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PHASE_PAGE_SIZE).default(DEFAULT_PHASE_PAGE_SIZE).describe(`Page size, at most ${MAX_PHASE_PAGE_SIZE}`),
  after: z.string().max(40).optional().describe('Cursor: the code of the last phase of the previous page (from `next`)'),
});
class PhasesQueryDto extends createZodDto(phasesQuerySchema) {}

@ApiTags('map')
@Controller('phases')
export class PhasesController {
  constructor(private readonly phases: PhasesRepository) {}

  @Get()
  @Access('signed-in')
  @ApiOperation({ summary: 'Work packages (phases) by code, with budget year and target date; also those nothing uses yet' })
  @ApiOkResponse({ description: '{ phases, numberReturned, next }: follow `next` until it is null' })
  async list(@Query() query: PhasesQueryDto, @Req() request: Request): Promise<PhasesPage> {
    const page = await this.phases.list(query.limit, query.after);
    return { phases: page.phases, numberReturned: page.phases.length, next: nextPageUrl(request, page.nextCursor) };
  }
}
