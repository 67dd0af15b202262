import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe, with a readable prefix that says what the secret is (srt_s_ for a session, …). */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** A password for a new or reset account: 18 characters from an alphabet without look-alikes. */
export function newTemporaryPassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(18);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  // Groups of six are easier to read out over the phone; the dashes count as symbols.
  return `${out.slice(0, 6)}-${out.slice(6, 12)}-${out.slice(12)}`;
}
