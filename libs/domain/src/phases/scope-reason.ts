import { DomainError } from '../shared/domain-error';

/**
 * The reason an edit of a site or segment gives for moving it to another phase (or out of one),
 * or null when the edit does not move it. A move changes what the phase contracted, so it needs
 * one: the scope history keeps it (PhasesRepository.setScopeReason).
 */
export function scopeReasonOf(before: { phaseId: string | null }, changes: { phaseId?: string | null; phaseReason?: string }): string | null {
  if (changes.phaseId === undefined || changes.phaseId === before.phaseId) return null;
  const reason = changes.phaseReason?.trim() ?? '';
  if (reason === '') throw new DomainError('SCOPE_REASON_REQUIRED');
  return reason;
}
