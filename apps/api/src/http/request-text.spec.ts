import { unstorableTextFields } from './request-text';

describe('finding text PostgreSQL cannot store in a request', () => {
  it('names each field like zod does, keys included', () => {
    const body = { name: 'ok', segments: [{ id: 'a', note: 'x\u0000' }], evidence: { photoIds: ['\udc00'] }, ['kunci\u0000']: 1 };
    expect(unstorableTextFields(body)).toEqual(['segments.0.note', 'evidence.photoIds.0', 'kunci\uFFFD']);
    expect(unstorableTextFields({ after: 'GK-001', limit: '5' })).toEqual([]);
    expect(unstorableTextFields(undefined)).toEqual([]);
  });

  it('walks a body nested a hundred thousand deep without overflowing the stack, and names at most 20 fields', () => {
    let deep: unknown = 'dasar\u0000';
    for (let i = 0; i < 100000; i++) deep = [deep];
    const [field] = unstorableTextFields(deep);
    expect(field.startsWith('….0.0')).toBe(true);
    expect(unstorableTextFields(Array.from({ length: 100 }, () => '\u0000'))).toHaveLength(20);
  });
});
