/** The panel's first view: find a segment or node by code or "near me", and the whole outbox. */
import { useLayoutEffect, useRef } from 'preact/hooks';
import { StatusChip } from '../../shared/components';
import { formatDateTimeWib, formatDistance } from '../../shared/format';
import { nodeKindLabel, t as sharedT } from '../../shared/i18n';
import { t } from './field.i18n';
import { PinIcon } from './field-icons';
import type { FieldStore, Found } from './field-store';
import { MessageBox } from './message-box';
import { OutboxList } from './outbox-list';

export function Home({ store }: { store: FieldStore }) {
  const search = useRef<HTMLInputElement>(null);
  const locating = store.locating.value;
  const position = store.position.value;
  const mode = store.resultsMode.value;
  const wantsFocus = store.searchFocus.value;

  useLayoutEffect(() => {
    if (!wantsFocus) return;
    search.current?.focus();
    store.searchFocused();
  }, [wantsFocus]);

  return (
    <>
      <div class="serat-lapangan__finder">
        <label class="serat-visually-hidden" for="serat-lapangan-search">
          {t('field.searchLabel')}
        </label>
        <input
          ref={search}
          type="search"
          id="serat-lapangan-search"
          class="serat-input serat-lapangan__search"
          autocomplete="off"
          spellcheck={false}
          enterKeyHint="search"
          autocapitalize="characters"
          placeholder={t('field.searchPlaceholder')}
          value={store.query.value}
          onInput={(event) => store.setQuery(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key !== 'Enter') return;
            event.preventDefault();
            store.submitQuery();
          }}
          data-testid="field-search"
        />
        <button
          type="button"
          class="serat-button serat-button--secondary serat-lapangan__near"
          disabled={locating}
          aria-busy={locating}
          onClick={() => void store.findNear()}
          data-testid="field-near"
        >
          <PinIcon />
          <span>{t(locating ? 'field.locating' : 'field.near')}</span>
        </button>
      </div>
      {store.homeMessage.value && <MessageBox message={store.homeMessage.value} />}
      {mode === 'near' && position && (
        <p class="serat-lapangan__hint">{t('field.nearFrom', { accuracy: formatDistance(position.accuracyM), time: formatDateTimeWib(position.at) })}</p>
      )}
      {mode !== 'none' && <Results store={store} />}
      <OutboxList store={store} items={store.outboxItems.value} withTitle />
    </>
  );
}

function Results({ store }: { store: FieldStore }) {
  const results = store.results.value;
  const mode = store.resultsMode.value;
  const online = store.online.value;
  if (!results.length) {
    const searched = store.searchedServer.value;
    const searching = store.searchingServer.value;
    return (
      <div class="serat-lapangan__results" data-testid="field-results" data-mode={mode}>
        <div class="serat-lapangan__empty">
          <p>{t(searched ? 'field.noneOnServer' : 'field.none')}</p>
          {mode === 'search' && !searched && !online && <p class="serat-lapangan__hint">{t('field.searchServerOffline')}</p>}
          {mode === 'search' && !searched && (
            <button
              type="button"
              class="serat-button serat-button--secondary"
              disabled={searching || !online}
              onClick={() => void store.searchServer()}
              data-testid="field-search-server"
            >
              {t(searching ? 'field.searchingServer' : 'field.searchServer')}
            </button>
          )}
        </div>
      </div>
    );
  }
  const items = store.outboxItems.value;
  return (
    <div class="serat-lapangan__results" data-testid="field-results" data-mode={mode}>
      <ul class="serat-lapangan__list">
        {results.map((found) => (
          <ResultRow key={`${found.subject}:${found.id}`} found={found} queued={items.filter((item) => item.targetId === found.id).length} onOpen={() => store.openTarget(found)} />
        ))}
      </ul>
    </div>
  );
}

function ResultRow({ found, queued, onOpen }: { found: Found; queued: number; onOpen(): void }) {
  return (
    <li>
      <button type="button" class="serat-lapangan__result" data-code={found.code} data-subject={found.subject} onClick={onOpen} data-testid="field-result">
        <span class="serat-lapangan__result-main">
          <span class="serat-lapangan__result-code">{found.code}</span>
          {found.site && (
            <span class="serat-lapangan__result-site" data-testid="field-result-site">
              {found.site}
            </span>
          )}
          <span class="serat-lapangan__result-kind">{found.subject === 'segment' ? sharedT('popup.segment') : nodeKindLabel(found.kind)}</span>
        </span>
        <span class="serat-lapangan__result-side">
          <StatusChip status={found.status} />
          {found.distanceM !== null && <span class="serat-lapangan__distance">{formatDistance(found.distanceM)}</span>}
          {queued > 0 && <span class="serat-lapangan__queued-mark">{t('field.queuedShort', { count: queued })}</span>}
        </span>
      </button>
    </li>
  );
}
