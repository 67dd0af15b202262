/** @jest-environment jsdom */
/**
 * History entries the server writes itself read as a kind of change and a readable actor in
 * both languages; a person's own note and name are shown as written.
 */
import { historyActor, historyByline, historyKind, historyNote } from './history';
import { setLang } from './i18n';

describe('history entries in the reader’s words', () => {
  afterEach(() => setLang('id'));

  it('reads the seed’s initial status as "status awal · sistem (data awal)", and in English', () => {
    const seeded = { note: 'initial status', changedBy: 'system:seed' };
    expect(historyByline(seeded)).toBe('status awal · sistem (data awal)');
    expect(historyNote(seeded)).toBeNull();
    setLang('en');
    expect(historyByline(seeded)).toBe('initial status · system (seed data)');
  });

  it('names drawn and imported entries and the import they came from', () => {
    expect(historyKind({ note: 'created' })).toBe('dibuat di peta');
    expect(historyByline({ note: 'import', changedBy: 'rina (import 1a2b3c4d)' })).toBe('dari impor · rina (impor 1a2b3c4d)');
    expect(historyActor('system:cli')).toBe('sistem (baris perintah)');
    expect(historyActor('system:first-admin')).toBe('sistem');
  });

  it('leaves a person’s note and name as they are', () => {
    const typed = { note: 'Kabel ditarik sampai tiang T-07', changedBy: 'teknisi.budi' };
    expect(historyKind(typed)).toBeNull();
    expect(historyNote(typed)).toBe('Kabel ditarik sampai tiang T-07');
    expect(historyByline(typed)).toBe('teknisi.budi');
    expect(historyByline({ note: null, changedBy: null })).toBe('');
  });
});
