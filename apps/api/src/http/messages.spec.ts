import { ERROR_MESSAGES, FIELD_PROBLEMS, languageOf, messageFor } from './messages';

describe('error messages', () => {
  it('speak Bahasa Indonesia unless the reader prefers English', () => {
    const lang = (value?: string) => languageOf({ headers: value === undefined ? {} : { 'accept-language': value } });
    expect(lang()).toBe('id');
    expect(lang('id-ID,id;q=0.9,en;q=0.8')).toBe('id');
    expect(lang('en-US,en;q=0.9')).toBe('en');
    expect(lang('en;q=0.5,id;q=0.9')).toBe('id');
    expect(lang('fr-FR,fr;q=0.9')).toBe('id');
    expect(lang('fr,en;q=0.8')).toBe('en');
  });

  it('have both languages for every code, and for every field problem Serat names', () => {
    for (const [code, texts] of Object.entries({ ...ERROR_MESSAGES, ...FIELD_PROBLEMS })) {
      expect([code, texts.id.length > 10, texts.en.length > 10]).toEqual([code, true, true]);
    }
  });

  it('fill values from the details', () => {
    expect(messageFor('TOO_MANY_ATTEMPTS', 'id', { retryAfterS: 60 })).toBe('Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 60 detik.');
  });
});
