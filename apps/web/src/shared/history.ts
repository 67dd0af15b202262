/**
 * A status history entry in the reader's words. The server writes a few entries itself, with a
 * fixed English note ('initial status', 'created', 'import') and a machine actor ('system:seed',
 * '<user> (import 1a2b3c4d)'): those are turned into the kind of change and a readable actor here,
 * for the field panel and the map's popups alike. Anything else is a person's own note or name
 * and is shown as written.
 */
import type { HistoryEntry } from './api';
import { t, type MessageKey } from './i18n';

/** The notes the api writes on entries it makes itself (libs/domain: nodes, segments, imports, network-edit). */
const MACHINE_NOTES: Record<string, MessageKey> = {
  'initial status': 'history.kind.initial',
  created: 'history.kind.created',
  import: 'history.kind.import',
};

/** The system actors the api, the seed and the cli write (SEED_ACTOR, 'system:cli', …). */
const SYSTEM_ACTORS: Record<string, MessageKey> = {
  'system:seed': 'history.actor.seed',
  'system:cli': 'history.actor.cli',
};

/** The kind of change when the server wrote the entry itself ("status awal"), else null. */
export function historyKind(entry: Pick<HistoryEntry, 'note'>): string | null {
  const key = entry.note ? MACHINE_NOTES[entry.note] : undefined;
  return key ? t(key) : null;
}

/** The entry's note when a person wrote it; null for the server's own fixed notes. */
export function historyNote(entry: Pick<HistoryEntry, 'note'>): string | null {
  if (!entry.note || entry.note in MACHINE_NOTES) return null;
  return entry.note;
}

/** Who made the change, readable: "sistem (data awal)" for 'system:seed', a person's name as it is. */
export function historyActor(changedBy: string | null | undefined): string | null {
  if (!changedBy) return null;
  const known = SYSTEM_ACTORS[changedBy];
  if (known) return t(known);
  if (changedBy.startsWith('system:')) return t('history.actor.system');
  const imported = /^(.*) \(import ([0-9a-f]{8})\)$/.exec(changedBy);
  if (imported) return t('history.actor.import', { who: imported[1], id: imported[2] });
  return changedBy;
}

/** "status awal · sistem (data awal)": the kind of change and who made it, for one line. */
export function historyByline(entry: Pick<HistoryEntry, 'note' | 'changedBy'>): string {
  return [historyKind(entry), historyActor(entry.changedBy)].filter(Boolean).join(' · ');
}
