import { cursorAfter, formatChangeCursor, parseChangeCursor } from './change-log.repository';

describe('change feed cursors', () => {
  it('read back what they write, and refuse what is not one (or would overflow the database types)', () => {
    expect(parseChangeCursor(formatChangeCursor({ xid: '2940', id: '17' }))).toEqual({ xid: '2940', id: '17' });
    for (const bad of ['', 'kemarin', '12', '12.', '.4', '1.2.3', '-1.2', '1.9223372036854775808', '18446744073709551616.1', ' 1 . 2 ']) {
      expect([bad, parseChangeCursor(bad)]).toEqual([bad, null]);
    }
    expect(parseChangeCursor('18446744073709551615.9223372036854775807')).not.toBeNull();
    expect(parseChangeCursor(undefined)).toBeNull();
  });

  it('order by transaction first, then by entry, as numbers', () => {
    expect(cursorAfter({ xid: '10', id: '1' }, { xid: '9', id: '500' })).toBe(true);
    expect(cursorAfter({ xid: '10', id: '17' }, { xid: '10', id: '9' })).toBe(true);
    expect(cursorAfter({ xid: '10', id: '9' }, { xid: '10', id: '9' })).toBe(false);
    expect(cursorAfter({ xid: '9', id: '900' }, { xid: '10', id: '1' })).toBe(false);
  });
});
