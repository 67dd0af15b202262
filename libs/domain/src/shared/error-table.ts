import type { HttpStatus } from '@nestjs/common';
import type { Language } from '@serat/contract';

/** The languages Serat answers in (the contract's, the web app's too): Bahasa Indonesia by default, English on request. */
export type { Language };

/** What a person reads for an error code, in both languages; `{name}` is filled from the error's details. */
export interface ErrorText {
  readonly id: string;
  readonly en: string;
}

/** A code a feature's rules throw (DomainError): the HTTP status the api answers it with, and its text. */
export interface DomainErrorSpec extends ErrorText {
  readonly status: HttpStatus;
  /** Sentences that follow the text, made from the details (what is wrong with a geometry); undefined when there are none. */
  readonly explain?: (details: Record<string, unknown>, language: Language) => string | undefined;
}

/** A feature's codes, each with its status and text in both languages (the compiler insists on all three). */
export function defineErrors<const T extends Record<string, DomainErrorSpec>>(errors: T): T {
  return errors;
}

type Table = Readonly<Record<string, ErrorText>>;
type CodesOf<T extends readonly Table[]> = T extends readonly [infer First, ...infer Rest extends readonly Table[]] ? keyof First | CodesOf<Rest> : never;
/** The codes that more than one of the tables defines. */
type Repeated<T extends readonly Table[]> = T extends readonly [infer First, ...infer Rest extends readonly Table[]] ? (keyof First & CodesOf<Rest>) | Repeated<Rest> : never;
type Merged<T extends readonly Table[]> = T extends readonly [infer First, ...infer Rest extends readonly Table[]] ? First & Merged<Rest> : unknown;
/** Tables with a code in common do not compile: the error names the code. */
type Distinct<T extends readonly Table[]> = [Repeated<T>] extends [never] ? unknown : { readonly 'codes defined twice': Repeated<T> };

/**
 * One table from the features' tables, every code in exactly one of them: checked by the compiler
 * (Distinct) and again at load, for tables whose types were widened on the way.
 */
export function composeErrors<const T extends readonly Table[]>(...tables: T & Distinct<T>): { readonly [Code in keyof Merged<T>]: Merged<T>[Code] } {
  const composed: Record<string, ErrorText> = {};
  for (const table of tables as readonly Table[]) {
    for (const [code, spec] of Object.entries(table)) {
      if (code in composed) throw new Error(`error code ${code} is defined twice`);
      composed[code] = spec;
    }
  }
  return composed as { readonly [Code in keyof Merged<T>]: Merged<T>[Code] };
}

/** A text with each `{name}` replaced by that detail (objects as JSON); a name without a value stays as it is. */
export function fillText(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? (typeof values[name] === 'object' ? JSON.stringify(values[name]) : String(values[name])) : whole,
  );
}
