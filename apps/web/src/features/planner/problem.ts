/**
 * What went wrong, in the reader's words: an api failure, a reason or warning code of the
 * importer, a file-level failure of an import.
 */
import { ApiError } from '../../shared/api';
import { t as appT, statusLabel } from '../../shared/i18n';
import { isPlannerKey, t } from './planner.i18n';

/** What went wrong, in the reader's language: the server's own message when it gave one. */
export function problemText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.httpStatus === 413) return t('planner.tooLarge');
    if (error.code === 'QUEUE_UNAVAILABLE') return t('planner.queueUnavailable');
    if (error.serverMessage) return error.serverMessage;
    if (error.reason === 'network') return appT('error.network');
    if (error.reason === 'invalid') return appT('error.invalid');
    return appT('error.http', { status: error.httpStatus ?? '?' });
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * A reason or warning code from the importer, translated when known, else shown as it is. A
 * detail `from→to` (a status kept, `status_kept_backwards:active→planned`) names both statuses
 * in the reader's language.
 */
export function importReasonText(code: string): string {
  const [head, ...rest] = code.split(':');
  const key = `importReason.${head}`;
  if (!isPlannerKey(key)) return code;
  if (!rest.length) return t(key);
  const detail = rest.join(':');
  const move = /^([a-z_]+)→([a-z_]+)$/.exec(detail);
  return t(key, move ? { detail, from: statusLabel(move[1]), to: statusLabel(move[2]) } : { detail });
}

/**
 * A file-level failure of an import (its error code), translated when known; an internal error
 * (or none named) says so in general words.
 */
export function importErrorText(code: string | null): string {
  if (!code) return t('importError.INTERNAL');
  const key = `importError.${code}`;
  return isPlannerKey(key) ? t(key) : code;
}

/** Whether the server's raw message is worth showing: only for a code without a translation, never an internal error. */
export function importErrorRaw(code: string | null): boolean {
  return !!code && code !== 'INTERNAL' && !isPlannerKey(`importError.${code}`);
}

/** An import's state in words; one the app does not know yet shows as it is. */
export function importStateText(state: string): string {
  const key = `importState.${state}`;
  return isPlannerKey(key) ? t(key) : state;
}
