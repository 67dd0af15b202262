import { entityTag, matchesTag } from './validator';

describe('answer validators', () => {
  it('tags the same figures alike and different figures apart', () => {
    expect(entityTag({ count: 1 })).toBe(entityTag({ count: 1 }));
    expect(entityTag({ count: 1 })).not.toBe(entityTag({ count: 2 }));
    expect(entityTag({ count: 1 })).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
  });

  it('matches If-None-Match as a list, weak or strong, or *', () => {
    const tag = entityTag({ a: 1 });
    expect(matchesTag(undefined, tag)).toBe(false);
    expect(matchesTag(tag, tag)).toBe(true);
    expect(matchesTag(`"other", W/${tag}`, tag)).toBe(true);
    expect(matchesTag('*', tag)).toBe(true);
    expect(matchesTag('"other"', tag)).toBe(false);
  });
});
