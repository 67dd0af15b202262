import { HttpStatus } from '@nestjs/common';
import { DOMAIN_ERRORS } from '../domain-errors';
import { composeErrors, defineErrors, fillText } from './error-table';

const PARKING = defineErrors({ PARKING_FULL: { status: HttpStatus.CONFLICT, id: 'Parkir penuh.', en: 'The car park is full.' } });
const MORE_PARKING = defineErrors({ PARKING_FULL: { status: HttpStatus.CONFLICT, id: 'Penuh.', en: 'Full.' } });

describe('error tables', () => {
  it('compose into one table with every code of each', () => {
    const composed = composeErrors(PARKING, defineErrors({ GATE_SHUT: { status: HttpStatus.FORBIDDEN, id: 'Gerbang tutup.', en: 'The gate is shut.' } }));
    expect(Object.keys(composed).sort()).toEqual(['GATE_SHUT', 'PARKING_FULL']);
    expect(composed.GATE_SHUT.status).toBe(403);
  });

  it('refuse a code that two tables define: the compiler, and again at load', () => {
    // @ts-expect-error PARKING_FULL is in both tables.
    expect(() => composeErrors(PARKING, MORE_PARKING)).toThrow('error code PARKING_FULL is defined twice');
  });

  it('take no code without both languages and a status (the compiler refuses these; tsc checks the spec files too)', () => {
    // @ts-expect-error the English text is missing.
    expect(defineErrors({ NO_ENGLISH: { status: HttpStatus.CONFLICT, id: 'Hanya bahasa Indonesia.' } })).not.toHaveProperty('NO_ENGLISH.en');
    // @ts-expect-error the status is missing.
    expect(defineErrors({ NO_STATUS: { id: 'Tanpa status.', en: 'No status.' } })).not.toHaveProperty('NO_STATUS.status');
  });

  it('give every code the domain throws a client or server error status and both texts', () => {
    for (const [code, spec] of Object.entries(DOMAIN_ERRORS)) {
      expect([code, spec.status >= 400 && spec.status < 600, spec.id.length > 10, spec.en.length > 10]).toEqual([code, true, true, true]);
    }
  });

  it('fill each {name} from the details, objects as JSON, and leave a name without a value as it is', () => {
    expect(fillText('{code} at {at}, {missing}', { code: 'ODP-1', at: [112.9, -2.5] })).toBe('ODP-1 at [112.9,-2.5], {missing}');
  });
});
