import { Body, Controller, Delete, Get, Headers, HttpCode, HttpStatus, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SERAT_CONFIG, SeratConfig } from '@serat/config';
import type { HistoryAnswer, NodeRecord, SegmentRecord, SiteRecord } from '@serat/contract';
import { AuditContext, CORE_COUNT, EditSettings, INT4_MAX, NetworkEditService, SitesService, TEXT_MAX, textField, versionNumber } from '@serat/domain';
import { NETWORK_STATUSES, NODE_KINDS, NODE_OWNERS, SEGMENT_PLACEMENTS, SEGMENT_TIERS, SITE_KINDS } from '@serat/vocabulary';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Access } from '../auth/access';
import { Audit } from '../auth/request-auth';
import { ApiError } from '../http/api-error';
import { versionOf } from '../http/version-of';

const PLANNERS = ['admin', 'planner'] as const;
const code = z
  .string()
  .trim()
  .regex(new RegExp(`^[A-Za-z0-9][A-Za-z0-9._/-]{0,${TEXT_MAX.code - 1}}$`), { error: `must be 1-${TEXT_MAX.code} letters, digits, . _ / -` });
const version = versionNumber().optional().describe('The version you read (or send If-Match: "<version>")');
const geometry = z.unknown().describe('GeoJSON geometry, [longitude, latitude] (RFC 7946)');

const nodeCreate = z.object({
  code,
  name: textField(TEXT_MAX.nodeName).nullable().optional(),
  kind: z.enum(NODE_KINDS),
  geometry,
  status: z.enum(NETWORK_STATUSES).optional(),
  owner: z.enum(NODE_OWNERS).nullable().optional(),
});
class NodeCreateDto extends createZodDto(nodeCreate) {}
const nodeUpdate = nodeCreate.omit({ status: true }).partial().extend({ version });
class NodeUpdateDto extends createZodDto(nodeUpdate) {}

const siteCreate = z.object({
  code,
  name: textField(TEXT_MAX.siteName).min(1),
  shortName: textField(TEXT_MAX.siteShortName).nullable().optional(),
  kind: z.enum(SITE_KINDS),
  geometry,
  phaseId: z.uuid().nullable().optional(),
  terminationNodeId: z.uuid().nullable().optional(),
  costIdrPerMonth: z.number().int().min(0).max(1e12).nullable().optional().describe('Monthly commercial ISP bill, Rupiah'),
});
class SiteCreateDto extends createZodDto(siteCreate) {}
const phaseReason = textField(TEXT_MAX.scopeReason)
  .optional()
  .describe("Why the phase changes (a site or segment joining or leaving a phase changes what it contracted): required then, kept in the phase's scope history");
const siteUpdate = siteCreate.partial().extend({ version, phaseReason });
class SiteUpdateDto extends createZodDto(siteUpdate) {}

const segmentFields = {
  placement: z.enum(SEGMENT_PLACEMENTS).optional(),
  tier: z.enum(SEGMENT_TIERS).optional(),
  cableType: textField(TEXT_MAX.cableType).nullable().optional(),
  coreCount: z.number().int().min(CORE_COUNT.min).max(CORE_COUNT.max).nullable().optional(),
  phaseId: z.uuid().nullable().optional(),
  contractor: textField(TEXT_MAX.contractor).nullable().optional(),
  slackM: z.number().min(0).max(100000).nullable().optional(),
  newNodeKind: z.enum(NODE_KINDS).optional().describe('Kind of node made at an end that meets no node (default joint_closure)'),
};
const segmentCreate = z.object({
  code,
  geometry,
  fromNodeId: z.uuid().optional(),
  toNodeId: z.uuid().optional(),
  status: z.enum(NETWORK_STATUSES).optional(),
  ...segmentFields,
});
class SegmentCreateDto extends createZodDto(segmentCreate) {}
const segmentUpdate = z.object({ code: code.optional(), geometry: geometry.optional(), version, phaseReason, ...segmentFields });
class SegmentUpdateDto extends createZodDto(segmentUpdate) {}

const split = z.object({
  point: geometry,
  version,
  nodeKind: z.enum(NODE_KINDS).optional(),
  nodeCode: code.optional(),
  newSegmentCode: code.optional(),
});
class SplitDto extends createZodDto(split) {}

const idParams = z.object({ id: z.uuid() });
class IdParams extends createZodDto(idParams) {}
const deleteQuery = z.object({ version: z.coerce.number().int().min(1).max(INT4_MAX).optional() });
class DeleteQuery extends createZodDto(deleteQuery) {}

@ApiTags('network')
@Controller()
export class NetworkEditController {
  constructor(
    private readonly edit: NetworkEditService,
    private readonly sites: SitesService,
    @Inject(SERAT_CONFIG) private readonly config: SeratConfig,
  ) {}

  private get settings(): EditSettings {
    return { region: this.config.region.bbox, snapToleranceM: this.config.snapToleranceM };
  }

  @Post('nodes')
  @Access([...PLANNERS])
  @ApiOperation({ summary: 'Create a node (its kecamatan and desa come from the boundaries)' })
  createNode(@Body() body: NodeCreateDto, @Audit() audit: AuditContext): Promise<NodeRecord> {
    return this.edit.createNode(body, this.settings, audit);
  }

  @Get('nodes/:id')
  @Access('signed-in')
  @ApiOperation({ summary: 'One node as stored, with its version (what an edit form starts from)' })
  async node(@Param() params: IdParams): Promise<NodeRecord> {
    const node = await this.edit.node(params.id);
    if (!node) throw new ApiError('NOT_FOUND', HttpStatus.NOT_FOUND);
    return node;
  }

  @Patch('nodes/:id')
  @Access([...PLANNERS])
  @ApiOperation({ summary: 'Change or move a node; the ends of its segments follow it' })
  updateNode(@Param() params: IdParams, @Body() body: NodeUpdateDto, @Headers('if-match') ifMatch: string | undefined, @Audit() audit: AuditContext): Promise<NodeRecord> {
    const { version: v, ...changes } = body;
    return this.edit.updateNode(params.id, versionOf(v, ifMatch), changes, this.settings, audit);
  }

  @Delete('nodes/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Access([...PLANNERS])
  @ApiOperation({ summary: 'Delete a node that no segment uses (?version= or If-Match)' })
  async deleteNode(@Param() params: IdParams, @Query() query: DeleteQuery, @Headers('if-match') ifMatch: string | undefined, @Audit() audit: AuditContext) {
    await this.edit.deleteNode(params.id, versionOf(query.version, ifMatch), audit);
  }

  @Post('sites')
  @Access([...PLANNERS])
  @ApiOperation({ summary: 'Create a site (its kecamatan and desa come from the boundaries)' })
  createSite(@Body() body: SiteCreateDto, @Audit() audit: AuditContext): Promise<SiteRecord> {
    return this.sites.createSite(body, this.settings, audit);
  }

  @Get('sites/:id')
  @Access('signed-in')
  @ApiOperation({ summary: 'One site as stored, with its version (what an edit form starts from)' })
  async site(@Param() params: IdParams): Promise<SiteRecord> {
    const site = await this.sites.site(params.id);
    if (!site) throw new ApiError('NOT_FOUND', HttpStatus.NOT_FOUND);
    return site;
  }

  @Patch('sites/:id')
  @Access([...PLANNERS])
  @ApiOperation({ summary: 'Change or move a site' })
  updateSite(@Param() params: IdParams, @Body() body: SiteUpdateDto, @Headers('if-match') ifMatch: string | undefined, @Audit() audit: AuditContext): Promise<SiteRecord> {
    const { version: v, ...changes } = body;
    return this.sites.updateSite(params.id, versionOf(v, ifMatch), changes, this.settings, audit);
  }

  @Delete('sites/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Access([...PLANNERS])
  @ApiOperation({ summary: 'Delete a site (?version= or If-Match)' })
  async deleteSite(@Param() params: IdParams, @Query() query: DeleteQuery, @Headers('if-match') ifMatch: string | undefined, @Audit() audit: AuditContext) {
    await this.sites.deleteSite(params.id, versionOf(query.version, ifMatch), audit);
  }

  @Post('segments')
  @Access([...PLANNERS])
  @ApiOperation({ summary: 'Draw a segment: its ends snap to nodes within the tolerance, or new nodes are made' })
  createSegment(@Body() body: SegmentCreateDto, @Audit() audit: AuditContext) {
    return this.edit.createSegment(body, this.settings, audit);
  }

  @Get('segments/:id')
  @Access('signed-in')
  @ApiOperation({ summary: 'One segment with the kecamatan and desa it crosses (metres in each)' })
  async segment(@Param() params: IdParams): Promise<SegmentRecord> {
    const segment = await this.edit.segment(params.id);
    if (!segment) throw new ApiError('NOT_FOUND', HttpStatus.NOT_FOUND);
    return segment;
  }

  @Patch('segments/:id')
  @Access([...PLANNERS])
  @ApiOperation({ summary: "Change a segment's attributes or route (length and areas are recomputed)" })
  updateSegment(@Param() params: IdParams, @Body() body: SegmentUpdateDto, @Headers('if-match') ifMatch: string | undefined, @Audit() audit: AuditContext): Promise<SegmentRecord> {
    const { version: v, ...changes } = body;
    return this.edit.updateSegment(params.id, versionOf(v, ifMatch), changes, this.settings, audit);
  }

  @Delete('segments/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Access([...PLANNERS])
  @ApiOperation({ summary: 'Delete a segment (?version= or If-Match); to retire cable, decommission it instead' })
  async deleteSegment(@Param() params: IdParams, @Query() query: DeleteQuery, @Headers('if-match') ifMatch: string | undefined, @Audit() audit: AuditContext) {
    await this.edit.deleteSegment(params.id, versionOf(query.version, ifMatch), audit);
  }

  @Post('segments/:id/split')
  @Access([...PLANNERS])
  @ApiOperation({ summary: 'Split a segment at a point: a node there, two segments, both with the history' })
  splitSegment(@Param() params: IdParams, @Body() body: SplitDto, @Headers('if-match') ifMatch: string | undefined, @Audit() audit: AuditContext) {
    const { version: v, ...input } = body;
    return this.edit.splitSegment(params.id, versionOf(v, ifMatch), input, this.settings, audit);
  }

  @Get('segments/:id/history')
  @Access('signed-in')
  @ApiOperation({ summary: 'The status history of a segment, newest first' })
  async segmentHistory(@Param() params: IdParams): Promise<HistoryAnswer<Date>> {
    return { history: await this.edit.history('segment', params.id) };
  }

  @Get('nodes/:id/history')
  @Access('signed-in')
  @ApiOperation({ summary: 'The status history of a node, newest first' })
  async nodeHistory(@Param() params: IdParams): Promise<HistoryAnswer<Date>> {
    return { history: await this.edit.history('node', params.id) };
  }
}
