import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditContext, AuditRepository } from '@serat/domain';
import { maintenanceQueue } from '@serat/jobs';
import { Audit } from '../auth/request-auth';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { ApiError } from '../http/api-error';
import { JobView, MaintenanceQueue } from './maintenance-queue';
import { Access } from '../auth/access';

class RecomputeMembershipDto extends createZodDto(maintenanceQueue.jobs['areas.recompute-membership'].payload) {}

const jobIdSchema = z.object({ id: z.string().regex(/^[A-Za-z0-9:_-]{1,100}$/, { error: 'is not a job id' }) });
class JobIdParams extends createZodDto(jobIdSchema) {}

@ApiTags('maintenance')
@Controller('maintenance')
export class MaintenanceController {
  constructor(
    private readonly queue: MaintenanceQueue,
    private readonly audit: AuditRepository,
  ) {}

  @Post('area-membership')
  @Access(['admin', 'planner'])
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Queue a recomputation of the kecamatan/desa of sites and nodes from the boundaries' })
  async recomputeMembership(@Body() body: RecomputeMembershipDto, @Audit() audit: AuditContext): Promise<{ jobId: string }> {
    const jobId = await this.queue.enqueue('areas.recompute-membership', body);
    await this.audit.append(
      {
        action: 'enqueue',
        entityType: 'job',
        entityId: `${maintenanceQueue.name}:${jobId}`,
        changes: { job: { before: null, after: { name: 'areas.recompute-membership', ...body } } },
      },
      audit,
    );
    return { jobId };
  }

  @Get('jobs/:id')
  @Access(['admin', 'planner'])
  @ApiOperation({ summary: 'State, progress and result of a maintenance job' })
  async job(@Param() params: JobIdParams): Promise<JobView> {
    const job = await this.queue.find(params.id);
    if (!job) throw new ApiError('NOT_FOUND', HttpStatus.NOT_FOUND);
    return job;
  }
}
