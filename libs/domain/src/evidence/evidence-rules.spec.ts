import { DEFAULT_EVIDENCE_RULES, DEFAULT_EVIDENCE_RULES_TEXT, missingEvidence, parseEvidenceRules } from './evidence-rules';

describe('the evidence rules', () => {
  it('reads the default text as the default rules the web app mirrors', () => {
    expect(DEFAULT_EVIDENCE_RULES_TEXT).toBe('installed=photo|gps;tested=otdr');
    expect(parseEvidenceRules(DEFAULT_EVIDENCE_RULES_TEXT)).toEqual(DEFAULT_EVIDENCE_RULES);
  });

  it('asks for any one alternative, with every kind within it', () => {
    const rules = parseEvidenceRules('tested=otdr+photo|note');
    expect(missingEvidence('tested', new Set(['otdr']), rules)).toEqual([['otdr', 'photo'], ['note']]);
    expect(missingEvidence('tested', new Set(['otdr', 'photo']), rules)).toBeNull();
    expect(missingEvidence('tested', new Set(['note']), rules)).toBeNull();
    expect(missingEvidence('installed', new Set(), rules)).toBeNull();
  });
});
