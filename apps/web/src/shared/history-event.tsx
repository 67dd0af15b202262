/**
 * One status history entry as a list item: the move, when and by whom, and a person's note. The
 * map's popups (a few latest entries, compact) and the field panel (all of them, with evidence and
 * photos as `children`) show the same entry; `look` gives each its own class names and test ids.
 */
import { render, type ComponentChildren } from 'preact';
import type { HistoryEntry } from './api';
import { StatusMove } from './components';
import { formatDateTimeWib } from './format';
import { historyByline, historyNote } from './history';

export type HistoryLook = 'popup' | 'field';

const LOOKS: Record<HistoryLook, { block: string; arrow: string; testId: string; metaTestId?: string; Note: 'div' | 'p' }> = {
  popup: { block: 'serat-popup', arrow: 'serat-popup__arrow', testId: 'popup-history-entry', Note: 'div' },
  field: { block: 'serat-lapangan', arrow: 'serat-lapangan__next-arrow', testId: 'field-history-entry', metaTestId: 'field-history-meta', Note: 'p' },
};

interface HistoryEventProps {
  entry: HistoryEntry;
  look: HistoryLook;
  /** Further lines under "when · who", before the note (the field panel's device time). */
  meta?: ComponentChildren;
  /** After the note (the field panel's evidence and photos). */
  children?: ComponentChildren;
}

export function HistoryEvent({ entry, look, meta, children }: HistoryEventProps) {
  const { block, arrow, testId, metaTestId, Note } = LOOKS[look];
  const note = historyNote(entry);
  return (
    <li class={`${block}__event`} data-testid={testId}>
      <div class={`${block}__event-move`}>
        <StatusMove from={entry.fromStatus} to={entry.toStatus} arrowClass={arrow} />
      </div>
      <div class={`${block}__event-meta`} data-testid={metaTestId}>
        {[formatDateTimeWib(entry.changedAt), historyByline(entry)].filter(Boolean).join(' · ')}
      </div>
      {meta}
      {note && <Note class={`${block}__event-note`}>{note}</Note>}
      {children}
    </li>
  );
}

/** For pages built with DOM calls (the popups): the entries drawn into `list` (an `<ol>`). */
export function renderHistoryEvents(list: HTMLElement, entries: readonly HistoryEntry[], look: HistoryLook): void {
  render(
    <>
      {entries.map((entry) => (
        <HistoryEvent key={entry.id} entry={entry} look={look} />
      ))}
    </>,
    list,
  );
}
