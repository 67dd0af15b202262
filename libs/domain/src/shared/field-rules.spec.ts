import { isStorableText, storableText, TEXT_INVALID_CHARACTERS, textField, textFieldProblem } from './field-rules';

describe('text PostgreSQL can store', () => {
  it('has no NUL and no surrogate without its other half; a pair (an emoji) is fine', () => {
    expect(isStorableText('Tiang ODP-07 📡')).toBe(true);
    expect(isStorableText('')).toBe(true);
    expect(isStorableText('a\u0000b')).toBe(false);
    expect(isStorableText('a\udc00b')).toBe(false);
    expect(isStorableText('ujung\ud800')).toBe(false);
    // An emoji cut in half, as a slice(0, n) can leave it.
    expect(isStorableText('📡'.slice(0, 1))).toBe(false);
  });

  it('is shown with U+FFFD where it cannot be stored, and left alone otherwise', () => {
    expect(storableText('a\u0000b\udc00c\ud83d')).toBe('a\uFFFDb\uFFFDc\uFFFD');
    expect(storableText('Tiang 📡')).toBe('Tiang 📡');
  });

  it('gives a field problem by the same rules as the schema of the field (trimmed, then at most n characters)', () => {
    expect(textFieldProblem(`  ${'n'.repeat(200)}  `, 200)).toBeNull();
    expect(textFieldProblem('n'.repeat(201), 200)).toBe('too_long');
    expect(textFieldProblem('Tiang\u0000', 200)).toBe(TEXT_INVALID_CHARACTERS);
    const schema = textField(200);
    expect(schema.safeParse(`  ${'n'.repeat(200)}  `).success).toBe(true);
    expect(schema.safeParse('n'.repeat(201)).success).toBe(false);
    expect(schema.safeParse('Tiang\u0000').error?.issues).toEqual([expect.objectContaining({ code: 'custom', params: { problem: TEXT_INVALID_CHARACTERS } })]);
  });
});
