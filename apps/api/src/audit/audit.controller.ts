import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuditFilter, AuditPage } from '@serat/contract';
import { AuditRepository, INT8_MAX } from '@serat/domain';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Access } from '../auth/access';

const auditQuerySchema = z
  .object({
    entity: z
      .string()
      .regex(/^[a-z_]{1,40}$/, { error: 'is an entity type like segment, node, user' })
      .optional(),
    entityId: z.string().max(100).optional(),
    user: z.uuid().optional().describe('Only what this user did'),
    from: z.iso.datetime({ offset: true }).optional().describe('ISO 8601, inclusive'),
    to: z.iso.datetime({ offset: true }).optional().describe('ISO 8601, exclusive'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    before: z
      .string()
      .regex(/^\d{1,19}$/)
      // 19 digits go past bigint, which the database would refuse to compare with. (zod runs this
      // even when the pattern failed: BigInt('abc') would throw.)
      .refine((id) => !/^\d{1,19}$/.test(id) || BigInt(id) <= INT8_MAX, { error: 'is past the largest entry id', params: { problem: 'cursor_out_of_range' } })
      .optional()
      .describe('Cursor: the id of the last entry of the previous page'),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { error: 'from must be before to', path: ['from'] });
class AuditQueryDto extends createZodDto(auditQuerySchema) {}

/** Read-only: the audit log cannot be changed or deleted through the API (nor in the database). */
@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditRepository) {}

  @Get()
  @Access(['admin'])
  @ApiOperation({ summary: 'The audit trail, newest first, by entity, user and time' })
  async find(@Query() query: AuditQueryDto): Promise<AuditPage<Date>> {
    // The query's filters are the contract's (the web app builds them from it).
    const filter: AuditFilter = query;
    const page = await this.audit.find({
      entityType: filter.entity,
      entityId: filter.entityId,
      actorId: filter.user,
      from: filter.from ? new Date(filter.from) : undefined,
      to: filter.to ? new Date(filter.to) : undefined,
      limit: query.limit,
      before: query.before,
    });
    return { entries: page.entries, next: page.nextCursor };
  }
}
