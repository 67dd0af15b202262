/**
 * What the web app's field panel mirrors of the server's status rules, so that the technician is
 * told on the spot what the server would refuse hours later: the construction stages (the "next
 * stage" button) and the default evidence rules (SERAT_EVIDENCE_RULES when unset).
 *
 * The stages are defined in libs/vocabulary, beside the statuses, because the lifecycle itself
 * (judgeMove) lives there and libs/vocabulary may import nothing, this contract included; the
 * contract re-exports them so the web app takes every rule it mirrors from one place.
 */
import type { NetworkStatus } from '../../vocabulary/src/network-vocabulary';

export { STATUS_STAGES, type StatusStage } from '../../vocabulary/src/network-vocabulary';

/** The kinds of evidence a status change can carry; `note` is the change's own note. */
export const EVIDENCE_KINDS = ['photo', 'gps', 'otdr', 'note'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** For a status, the alternatives of evidence that satisfy it: any one alternative, all kinds within it. */
export type EvidenceRules = Partial<Record<NetworkStatus, EvidenceKind[][]>>;

/** Installed cable is shown by a photo or a GPS fix; a tested one by an OTDR reading. */
export const DEFAULT_EVIDENCE_RULES: Readonly<EvidenceRules> = {
  installed: [['photo'], ['gps']],
  tested: [['otdr']],
};

/** Rules in the text form SERAT_EVIDENCE_RULES takes: `installed=photo|gps;tested=otdr+photo`. */
export function evidenceRulesText(rules: Readonly<EvidenceRules>): string {
  return Object.entries(rules)
    .map(([status, alternatives]) => `${status}=${(alternatives ?? []).map((kinds) => kinds.join('+')).join('|')}`)
    .join(';');
}

/** The default rules as SERAT_EVIDENCE_RULES's default text. */
export const DEFAULT_EVIDENCE_RULES_TEXT = evidenceRulesText(DEFAULT_EVIDENCE_RULES);
