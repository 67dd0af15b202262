/**
 * "Menunggu sinkron (N)": every queued change, with what became of it (waiting, sending, refused,
 * in conflict) and what can be done about it (open, fix, apply mine on top, discard).
 */
import { formatBytes, formatDateTimeWib } from '../../shared/format';
import { StatusChip, StatusMove } from '../../shared/components';
import { statusLabel, t as sharedT } from '../../shared/i18n';
import { lang } from '../../shared/translate';
import { t, type FieldKey } from './field.i18n';
import { photoBytes, type FieldStore } from './field-store';
import { MessageBox } from './message-box';
import type { OutboxItem } from './outbox';

const PROBLEMS: Record<string, FieldKey> = {
  INVALID_TRANSITION: 'outbox.problem.transition',
  REASON_REQUIRED: 'outbox.problem.reason',
  EVIDENCE_REQUIRED: 'outbox.problem.evidence',
  OUT_OF_AREA: 'outbox.problem.area',
  PHOTO_INVALID: 'outbox.problem.photo',
  PHOTO_TOO_LARGE: 'outbox.problem.photo',
  PHOTO_NOT_USABLE: 'outbox.problem.photo',
  NOT_FOUND: 'outbox.problem.notFound',
};

/** Why the server refused: its own words in the language it answered in, else this feature's text for the code. */
export function problemText(item: OutboxItem): string {
  const problem = item.problem;
  if (!problem) return '';
  if (problem.message && problem.lang === lang.value) return problem.message;
  return t((problem.code && PROBLEMS[problem.code]) || 'outbox.problem.other', { status: problem.httpStatus ?? '?' });
}

interface OutboxListProps {
  store: FieldStore;
  items: readonly OutboxItem[];
  /** The whole outbox on the home view (with its title and "open"); without, one target's changes in its detail. */
  withTitle: boolean;
}

export function OutboxList({ store, items, withTitle }: OutboxListProps) {
  // A change waits while an earlier change of the same target has not gone through.
  const blocked = new Set<string>();
  const waiting = new Map<string, boolean>();
  for (const item of store.outboxItems.value) {
    const behind = blocked.has(item.targetId);
    if (item.state !== 'pending' || behind) blocked.add(item.targetId);
    waiting.set(item.id, behind);
  }
  return (
    <section class="serat-lapangan__outbox" data-testid={withTitle ? 'outbox-list' : 'outbox-list-target'}>
      {withTitle && (
        <h3 class="serat-lapangan__section-title" data-testid="outbox-title">
          {sharedT('outbox.title', { count: items.length })}
        </h3>
      )}
      {withTitle && store.outboxUnavailable.value && <MessageBox message={{ key: 'outbox.unavailable', kind: 'error' }} />}
      {withTitle && !items.length ? (
        <p class="serat-lapangan__hint">{t('outbox.empty')}</p>
      ) : (
        <ul class="serat-lapangan__list">
          {items.map((item) => (
            <OutboxEntry key={item.id} store={store} item={item} waiting={waiting.get(item.id) ?? false} withOpen={withTitle} />
          ))}
        </ul>
      )}
    </section>
  );
}

function OutboxEntry({ store, item, waiting, withOpen }: { store: FieldStore; item: OutboxItem; waiting: boolean; withOpen: boolean }) {
  const facts = [t('outbox.savedAt', { time: formatDateTimeWib(item.deviceTime) })];
  // What sending costs over the phone's connection.
  if (item.photos.length) facts.push(t('outbox.photos', { count: item.photos.length, size: formatBytes(photoBytes(item)) }));
  if (item.gps) facts.push(t('outbox.gps'));
  if (item.otdr) facts.push(t('outbox.otdr'));

  const discard = (
    <button type="button" class="serat-button serat-button--secondary serat-button--danger" data-testid="outbox-discard" onClick={() => store.discard(item)}>
      {t(store.armedDiscard.value === item.id ? 'outbox.discardConfirm' : 'outbox.discard')}
    </button>
  );
  const open = withOpen && (
    <button type="button" class="serat-button serat-button--secondary" data-testid="outbox-open" onClick={() => store.openTarget({ subject: item.subject, id: item.targetId })}>
      {t('outbox.open')}
    </button>
  );

  let status;
  let actions;
  if (item.state === 'conflict') {
    const theirs = item.theirs;
    const by = theirs ? [theirs.changedBy, theirs.changedAt ? formatDateTimeWib(theirs.changedAt) : null].filter(Boolean).join(' · ') : '';
    status = (
      <>
        <strong>{t('outbox.conflict')}</strong>
        <div class="serat-outbox-compare" data-testid="outbox-conflict">
          <div class="serat-outbox-compare__side serat-outbox-compare__side--theirs" data-testid="outbox-theirs">
            <div class="serat-outbox-compare__label">{t('outbox.theirs')}</div>
            {theirs ? (
              <>
                <StatusChip status={theirs.status} />
                <div class="serat-outbox-compare__meta">{t('field.version', { version: theirs.version })}</div>
                {by && <div class="serat-outbox-compare__meta">{by}</div>}
                {theirs.note && <p class="serat-outbox-compare__note">{theirs.note}</p>}
              </>
            ) : (
              <div class="serat-outbox-compare__meta">{t('outbox.theirsUnknown')}</div>
            )}
          </div>
          <div class="serat-outbox-compare__side serat-outbox-compare__side--mine" data-testid="outbox-mine">
            <div class="serat-outbox-compare__label">{t('outbox.mine')}</div>
            <StatusChip status={item.toStatus} />
            <div class="serat-outbox-compare__meta">{t('outbox.basedOn', { status: statusLabel(item.fromStatus), version: item.baseVersion })}</div>
          </div>
        </div>
        {/* Typically an answer lost on the way back: the change did reach the server. */}
        {theirs?.status === item.toStatus && <p class="serat-outbox-item__problem">{t('outbox.sameAsMine')}</p>}
      </>
    );
    actions = (
      <>
        {open}
        {theirs && (
          <button type="button" class="serat-button serat-button--primary" data-testid="outbox-apply-mine" onClick={() => store.applyMineOnTop(item)}>
            {t('outbox.applyMine')}
          </button>
        )}
        {discard}
      </>
    );
  } else if (item.state === 'rejected') {
    status = (
      <>
        <strong>{t('outbox.rejected')}</strong>
        <p class="serat-outbox-item__problem">{problemText(item)}</p>
      </>
    );
    actions = (
      <>
        {open}
        <button type="button" class="serat-button serat-button--secondary" data-testid="outbox-edit" onClick={() => store.startEdit(item)}>
          {t('outbox.edit')}
        </button>
        {discard}
      </>
    );
  } else {
    let text: string;
    if (waiting) text = t('outbox.waitingEarlier');
    else if (!store.online.value) text = t('outbox.waitingNetwork');
    else if (store.syncing.value) text = sharedT('outbox.sending');
    else if (item.problem?.kind === 'auth') text = t('outbox.waitingSignIn');
    else if (item.problem?.kind === 'server') text = t('outbox.waitingServer');
    else if (item.problem?.kind === 'network') text = t('outbox.waitingNetwork');
    else text = t('outbox.queued');
    status = (
      <>
        <span>{text}</span>
        {item.problem?.kind === 'server' && item.problem.message && item.problem.lang === lang.value && <p class="serat-outbox-item__problem">{item.problem.message}</p>}
      </>
    );
    actions = (
      <>
        {open}
        {discard}
      </>
    );
  }

  return (
    <li class={`serat-outbox-item serat-outbox-item--${item.state}`} data-testid="outbox-item" data-state={item.state} data-code={item.code}>
      <div class="serat-outbox-item__top">
        <span class="serat-outbox-item__code">{item.code}</span>
        <span class="serat-outbox-item__move">
          <StatusMove from={item.fromStatus} to={item.toStatus} arrowClass="serat-lapangan__next-arrow" />
        </span>
      </div>
      <div class="serat-outbox-item__meta">{facts.join(' · ')}</div>
      {item.note && <p class="serat-outbox-item__note">{item.note}</p>}
      <div class="serat-outbox-item__status" data-testid="outbox-item-status">
        {status}
      </div>
      <div class="serat-outbox-item__actions">{actions}</div>
    </li>
  );
}
