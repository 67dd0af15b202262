/**
 * Per-feature translations for components: a feature keeps its own `id` and `en` tables and looks
 * them up through `translator`. The language is the one of shared/i18n (the header's switch); it is
 * mirrored into a signal here, so every component that read a text renders again on a switch.
 */
import { signal } from '@preact/signals';
import { getLang, onLangChange, type Lang } from './i18n';

/** The reader's language; reading `.value` in a component subscribes it. */
export const lang = signal<Lang>(getLang());
onLangChange((next) => {
  lang.value = next;
});

/** A text, or its plural forms chosen by `Intl.PluralRules` on the `count` parameter. */
export type Message = string | { one: string; other: string };

export type Params = Record<string, string | number>;

/** Fills `{name}` placeholders; unknown ones stay visible rather than vanish. */
function fill(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}

/**
 * The lookup of one feature's tables. English must name every key of the Indonesian table (the
 * type says so), so a missing translation is a compile error rather than a stray key on screen.
 */
export function translator<K extends string>(tables: { id: Record<K, Message>; en: Record<K, Message> }) {
  return (key: K, params?: Params): string => {
    const language = lang.value;
    const message = tables[language][key];
    if (typeof message === 'string') return fill(message, params);
    const form = new Intl.PluralRules(language === 'en' ? 'en' : 'id').select(Number(params?.count ?? 0)) === 'one' ? 'one' : 'other';
    return fill(message[form], params);
  };
}
