import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SubjectState } from '@serat/contract';
import { AuditContext, FIELD_ROLES, NetworkStatusService, StatusChangeRequest, storableString, TEXT_MAX, ValidToken, versionNumber } from '@serat/domain';
import { NETWORK_STATUSES } from '@serat/vocabulary';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Access } from '../auth/access';
import { Audit, CurrentAuth } from '../auth/request-auth';

const evidence = z
  .object({
    gps: z
      .object({
        lon: z.number().min(-180).max(180),
        lat: z.number().min(-90).max(90),
        accuracyM: z.number().min(0).max(100000).nullable().optional(),
      })
      .nullable()
      .optional()
      .describe('Where the technician stood, from the phone (WGS84)'),
    otdr: z
      .object({ lengthM: z.number().min(0).max(1_000_000), lossDb: z.number().min(-10).max(100), wavelengthNm: z.number().int().min(600).max(1700).nullable().optional() })
      .nullable()
      .optional()
      .describe('An OTDR reading: fibre length in metres, total loss in dB'),
    photoIds: z.array(z.uuid()).max(10).optional().describe('Photos uploaded before with POST /api/photos'),
  })
  .optional();

const common = {
  status: z.enum(NETWORK_STATUSES),
  note: storableString().max(TEXT_MAX.statusNote).optional().describe('Required when skipping a stage, going back, or decommissioning'),
  deviceTime: z.iso.datetime({ offset: true }).optional().describe('When the change was made on the device (offline edits)'),
  evidence,
};

const statusChangeSchema = z.object({
  ...common,
  version: versionNumber().describe('The version you read; a newer one on the server gives 409 with the current state'),
});
class StatusChangeDto extends createZodDto(statusChangeSchema) {}

const bulkSchema = z.object({
  ...common,
  segments: z
    .array(z.object({ id: z.uuid(), version: versionNumber() }))
    .min(1)
    .max(500),
});
class BulkStatusDto extends createZodDto(bulkSchema) {}

const idSchema = z.object({ id: z.uuid() });
class IdParams extends createZodDto(idSchema) {}

function toRequest(body: z.output<typeof statusChangeSchema> | z.output<typeof bulkSchema>, version: number): StatusChangeRequest {
  return {
    to: body.status,
    expectedVersion: version,
    note: body.note,
    deviceTime: body.deviceTime ? new Date(body.deviceTime) : null,
    evidence: body.evidence,
  };
}

@ApiTags('network')
@Controller()
export class NetworkStatusController {
  constructor(private readonly status: NetworkStatusService) {}

  @Post('segments/:id/status')
  @Access(FIELD_ROLES)
  @ApiOperation({ summary: 'Move a segment along its lifecycle, with evidence (kept in its history and the audit log)' })
  segment(@Param() params: IdParams, @Body() body: StatusChangeDto, @CurrentAuth() token: ValidToken, @Audit() audit: AuditContext): Promise<SubjectState> {
    return this.status.changeSegmentStatus(params.id, toRequest(body, body.version), token.user, audit);
  }

  @Post('segments/status')
  @Access(FIELD_ROLES)
  @ApiOperation({ summary: 'Move many segments (a whole route) to one status in one transaction: all or nothing' })
  async bulk(@Body() body: BulkStatusDto, @CurrentAuth() token: ValidToken, @Audit() audit: AuditContext): Promise<{ segments: SubjectState[] }> {
    const { expectedVersion: _unused, ...shared } = toRequest(body, 0);
    const results = await this.status.changeManySegments(
      body.segments.map((s) => ({ id: s.id, expectedVersion: s.version })),
      shared,
      token.user,
      audit,
    );
    return { segments: results };
  }

  @Post('nodes/:id/status')
  @Access(FIELD_ROLES)
  @ApiOperation({ summary: 'Move a node along its lifecycle, with evidence (kept in its history and the audit log)' })
  node(@Param() params: IdParams, @Body() body: StatusChangeDto, @CurrentAuth() token: ValidToken, @Audit() audit: AuditContext): Promise<SubjectState> {
    return this.status.changeNodeStatus(params.id, toRequest(body, body.version), token.user, audit);
  }
}
