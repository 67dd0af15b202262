/** The panel's head (back, title, close) and body (home or one segment or node), and the opener's face. */
import { useLayoutEffect, useRef } from 'preact/hooks';
import { formatNumber } from '../../shared/format';
import { t } from './field.i18n';
import { Detail } from './field-detail';
import { FieldIcon } from './field-icons';
import { Home } from './field-home';
import type { FieldStore } from './field-store';
import { MessageBox } from './message-box';

export function FieldPanelView({ store, onClose }: { store: FieldStore; onClose(): void }) {
  const body = useRef<HTMLDivElement>(null);
  const target = store.target.value;
  const scrollTop = store.scrollTop.value;
  useLayoutEffect(() => {
    if (body.current) body.current.scrollTop = 0;
  }, [scrollTop]);

  let content = null;
  if (store.enabled.value && store.isOpen.value) {
    const snapshot = store.snapshot.value;
    if (target && snapshot) content = <Detail key={`${target.subject}:${target.id}`} store={store} snapshot={snapshot} />;
    else if (target) content = <MessageBox message={{ key: 'field.notOnMap', kind: 'info' }} />;
    else content = <Home store={store} />;
  }
  return (
    <>
      <div class="serat-lapangan__head">
        {target && (
          <button
            type="button"
            class="serat-lapangan__icon-button serat-lapangan__back"
            title={t('field.back')}
            aria-label={t('field.back')}
            onClick={() => store.back()}
            data-testid="field-back"
          >
            ‹
          </button>
        )}
        <h2 class="serat-lapangan__title" id="serat-lapangan-title">
          {t('field.title')}
        </h2>
        <button
          type="button"
          class="serat-lapangan__icon-button serat-lapangan__close"
          title={t('field.close')}
          aria-label={t('field.close')}
          onClick={onClose}
          data-testid="field-close"
        >
          ×
        </button>
      </div>
      <div class="serat-lapangan__body" ref={body}>
        {content}
      </div>
    </>
  );
}

/** Inside the floating "Lapangan" button: the hard hat, its name and the number of waiting changes. */
export function OpenerFace({ store }: { store: FieldStore }) {
  const pending = store.outboxItems.value.length;
  return (
    <>
      <FieldIcon />
      <span class="serat-lapangan-fab__label">{t('field.open')}</span>
      <span class="serat-lapangan-fab__count" hidden={pending === 0}>
        {formatNumber(pending)}
      </span>
    </>
  );
}
