import { lang } from '../../shared/translate';
import { t, type AdminKey } from './admin.i18n';
import type { Failure } from './admin-store';

const KNOWN: Record<string, AdminKey> = {
  DUPLICATE_USER: 'error.DUPLICATE_USER',
  LAST_ADMIN: 'error.LAST_ADMIN',
  NOT_FOUND: 'error.NOT_FOUND',
  VALIDATION_FAILED: 'error.VALIDATION_FAILED',
  FORBIDDEN: 'error.FORBIDDEN',
};

/**
 * The server's own words while the language is the one it answered in; after a switch (or
 * without an answer) this feature's text for the code.
 */
export function FailureMessage({ failure, testId }: { failure: Failure | null; testId: string }) {
  if (!failure) return null;
  const fresh = failure.lang === lang.value;
  const text =
    fresh && failure.server
      ? failure.server
      : failure.network
        ? t('error.network')
        : failure.code && KNOWN[failure.code]
          ? t(KNOWN[failure.code])
          : t('error.failed', { status: failure.status ?? '?' });
  return (
    <div class="serat-admin__error" role="alert" data-testid={testId}>
      <p>{text}</p>
      {fresh && failure.lines.length > 0 && (
        <ul>
          {failure.lines.map((line, index) => (
            <li key={index}>{line}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
