import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { maintenanceJobSchemas } from '@serat/jobs';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { ApiError } from '../http/api-error';
import { JobView, MaintenanceQueue } from './maintenance-queue';

class RecomputeMembershipDto extends createZodDto(maintenanceJobSchemas['areas.recompute-membership']) {}

const jobIdSchema = z.object({ id: z.string().regex(/^[A-Za-z0-9:_-]{1,100}$/, { error: 'is not a job id' }) });
class JobIdParams extends createZodDto(jobIdSchema) {}

@ApiTags('maintenance')
@Controller('maintenance')
export class MaintenanceController {
  constructor(private readonly queue: MaintenanceQueue) {}

  @Post('area-membership')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Queue a recomputation of the kecamatan/desa of sites and nodes from the boundaries' })
  async recomputeMembership(@Body() body: RecomputeMembershipDto): Promise<{ jobId: string }> {
    return { jobId: await this.queue.enqueue('areas.recompute-membership', body) };
  }

  @Get('jobs/:id')
  @ApiOperation({ summary: 'State, progress and result of a maintenance job' })
  async job(@Param() params: JobIdParams): Promise<JobView> {
    const job = await this.queue.find(params.id);
    if (!job) throw new ApiError('NOT_FOUND', HttpStatus.NOT_FOUND);
    return job;
  }
}
