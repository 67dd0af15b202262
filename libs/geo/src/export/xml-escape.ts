/**
 * Characters XML 1.0 cannot carry at all, not even as character references: C0 controls other
 * than tab, LF and CR, lone surrogates, U+FFFE and U+FFFF. They are dropped.
 */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const SPECIAL = /[&<>"'\r]/g;
/** Anything escapeXml would change (astral characters too: they take the slow path, unchanged). */
const CHECK = /[&<>"'\r]|[^\t\n\u0020-\uD7FF\uE000-\uFFFD]/;
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A literal CR would be normalised to LF by every XML parser.
  '\r': '&#13;',
};

/** Text safe in element content and in quoted attribute values. */
export function escapeXml(text: string): string {
  if (!CHECK.test(text)) return text;
  return text.replace(NOT_XML, '').replace(SPECIAL, (char) => ENTITIES[char]);
}
