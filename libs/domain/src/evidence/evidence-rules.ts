import { EVIDENCE_KINDS, type EvidenceKind, type EvidenceRules } from '@serat/contract';
import { NETWORK_STATUSES, NetworkStatus } from '@serat/vocabulary';

// The kinds and the default rules are the contract's: the web app's field panel mirrors them.
export { DEFAULT_EVIDENCE_RULES, DEFAULT_EVIDENCE_RULES_TEXT, EVIDENCE_KINDS, type EvidenceKind, type EvidenceRules } from '@serat/contract';

/**
 * Reads rules like "installed=photo|gps;tested=otdr+photo": statuses separated by ';', the
 * alternatives by '|', the kinds every alternative needs by '+'. An empty text means no rules.
 */
export function parseEvidenceRules(text: string): EvidenceRules {
  const rules: EvidenceRules = {};
  for (const part of text
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [status, alternatives] = part.split('=').map((p) => p.trim());
    if (!NETWORK_STATUSES.includes(status as NetworkStatus)) {
      throw new Error(`SERAT_EVIDENCE_RULES: "${status}" is not a status (one of ${NETWORK_STATUSES.join(', ')})`);
    }
    const parsed = (alternatives ?? '').split('|').map((alt) =>
      alt
        .split('+')
        .map((k) => k.trim())
        .filter(Boolean),
    );
    for (const kind of parsed.flat()) {
      if (!EVIDENCE_KINDS.includes(kind as EvidenceKind)) {
        throw new Error(`SERAT_EVIDENCE_RULES: "${kind}" is not a kind of evidence (one of ${EVIDENCE_KINDS.join(', ')})`);
      }
    }
    const nonEmpty = parsed.filter((alt) => alt.length > 0) as EvidenceKind[][];
    if (nonEmpty.length) rules[status as NetworkStatus] = nonEmpty;
  }
  return rules;
}

/** The alternatives not met for moving to a status, or null when the evidence given is enough. */
export function missingEvidence(status: NetworkStatus, given: Set<EvidenceKind>, rules: EvidenceRules): EvidenceKind[][] | null {
  const alternatives = rules[status];
  if (!alternatives || alternatives.some((alt) => alt.every((kind) => given.has(kind)))) return null;
  return alternatives;
}
