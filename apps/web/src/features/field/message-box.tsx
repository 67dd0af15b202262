import { lang } from '../../shared/translate';
import { t } from './field.i18n';
import type { Message } from './field-store';

/** A message of the panel: the server's own words while the language is the one it answered in. */
export function MessageBox({ message, testId = 'field-message' }: { message: Message; testId?: string }) {
  const server = message.server && message.server.lang === lang.value ? message.server.text : null;
  return (
    <div class={`serat-lapangan__message serat-lapangan__message--${message.kind}`} data-testid={testId} role={message.kind === 'error' ? 'alert' : 'status'}>
      {server ?? t(message.key, message.params)}
    </div>
  );
}
