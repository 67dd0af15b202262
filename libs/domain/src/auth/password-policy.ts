/** The few passwords people choose first; refused whatever their length. */
const COMMON = new Set([
  'password',
  'password1',
  'password123',
  '123456789',
  '1234567890',
  '12345678910',
  'qwertyuiop',
  'iloveyou',
  'admin12345',
  'administrator',
  'passw0rd123',
  'sayangku123',
  'indonesia123',
  'bismillah',
  'bismillah123',
  'kotawaringin',
  'kotimjaya',
  'sampit123',
  'diskominfo',
  'rahasia123',
  'katasandi',
  'katasandi123',
]);

export const PASSWORD_MIN_LENGTH = 10;

/**
 * Minimum strength: at least 10 characters with three kinds of character (lower case, upper case,
 * digits, symbols), or 16 characters of any kind (a passphrase); not a common password and not
 * the person's own name or email. Returns the problems (codes), empty when the password is fine.
 */
export function passwordProblems(password: string, personal: string[] = []): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push('too_short');
  if (password.length > 200) problems.push('too_long');
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (password.length < 16 && kinds < 3) problems.push('too_simple');
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || /^(.)\1+$/.test(password)) problems.push('too_common');
  // Of an email only the local part is personal; the domain is the organisation's.
  const parts = personal
    .flatMap((value) =>
      value
        .toLowerCase()
        .split('@')[0]
        .split(/[._\s-]+/),
    )
    .filter((part) => part.length >= 4);
  if (parts.some((part) => lower.includes(part))) problems.push('contains_personal');
  return problems;
}
