import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuditContext } from '../audit/audit.repository';

/**
 * The reason and actor a transaction gives for moving sites or segments between phases, read by
 * the triggers that write phase_scope_changes (RolloutProgress1765800000000). Writes no table:
 * transaction-local settings only, so every phase a row joins or leaves in it is recorded with them.
 */
@Injectable()
export class ScopeReasonRepository {
  async setScopeReason(reason: string | null, context: AuditContext, manager: EntityManager): Promise<void> {
    await manager.query(`SELECT set_config('serat.scope_reason', $1, true), set_config('serat.actor', $2, true), set_config('serat.actor_id', $3, true)`, [
      reason ?? '',
      context.actorLabel,
      context.actorId ?? '',
    ]);
  }
}
