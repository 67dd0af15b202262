import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditContext, FIELD_ROLES, NETWORK_STATUSES, NetworkStatusService, ValidToken } from '@serat/domain';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Access } from '../auth/access';
import { Audit, CurrentAuth } from '../auth/request-auth';

const statusChangeSchema = z.object({
  status: z.enum(NETWORK_STATUSES),
  version: z.number().int().min(1).describe('The version you read; a newer one on the server gives 409 with the current state'),
  note: z.string().max(2000).optional().describe('Required when skipping a stage, going back, or decommissioning'),
  deviceTime: z.iso.datetime({ offset: true }).optional().describe('When the change was made on the device (offline edits)'),
});
class StatusChangeDto extends createZodDto(statusChangeSchema) {}

const idSchema = z.object({ id: z.uuid() });
class IdParams extends createZodDto(idSchema) {}

function toRequest(body: StatusChangeDto) {
  return { to: body.status, expectedVersion: body.version, note: body.note, deviceTime: body.deviceTime ? new Date(body.deviceTime) : null };
}

@ApiTags('network')
@Controller()
export class NetworkStatusController {
  constructor(private readonly status: NetworkStatusService) {}

  @Post('segments/:id/status')
  @Access(FIELD_ROLES)
  @ApiOperation({ summary: 'Move a segment along its lifecycle (kept in its history and the audit log)' })
  segment(@Param() params: IdParams, @Body() body: StatusChangeDto, @CurrentAuth() token: ValidToken, @Audit() audit: AuditContext) {
    return this.status.changeSegmentStatus(params.id, toRequest(body), token.user, audit);
  }

  @Post('nodes/:id/status')
  @Access(FIELD_ROLES)
  @ApiOperation({ summary: 'Move a node along its lifecycle (kept in its history and the audit log)' })
  node(@Param() params: IdParams, @Body() body: StatusChangeDto, @CurrentAuth() token: ValidToken, @Audit() audit: AuditContext) {
    return this.status.changeNodeStatus(params.id, toRequest(body), token.user, audit);
  }
}
