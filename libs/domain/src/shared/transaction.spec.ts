import { isTransactionConflict, retryOnConflict, RetryPolicy } from './transaction';

/** A database error as the pg driver (and TypeORM's QueryFailedError) carries it. */
const pgError = (code: string) => Object.assign(new Error(`sqlstate ${code}`), { code });

describe('retryOnConflict', () => {
  const waits: number[] = [];
  const policy: RetryPolicy = { attempts: 4, firstDelayMs: 10, sleep: async (ms) => void waits.push(ms), random: () => 0.5 };
  beforeEach(() => (waits.length = 0));

  it.each(['40P01', '40001'])('runs the transaction again after %s and returns what the next run gives', async (code) => {
    let runs = 0;
    const result = await retryOnConflict(async () => {
      runs++;
      if (runs < 3) throw pgError(code);
      return 'done';
    }, policy);
    expect(result).toBe('done');
    expect(runs).toBe(3);
    expect(waits).toEqual([10, 20]);
  });

  it('gives up after the last attempt with the conflict itself', async () => {
    let runs = 0;
    const failing = retryOnConflict(async () => {
      runs++;
      throw pgError('40P01');
    }, policy);
    await expect(failing).rejects.toMatchObject({ code: '40P01' });
    expect(runs).toBe(4);
    expect(waits).toEqual([10, 20, 40]);
  });

  it('never runs again after any other failure', async () => {
    let runs = 0;
    const failing = retryOnConflict(async () => {
      runs++;
      throw pgError('23505');
    }, policy);
    await expect(failing).rejects.toMatchObject({ code: '23505' });
    expect(runs).toBe(1);
    expect(waits).toEqual([]);
  });

  it('spreads the waits between half and one and a half times the step', async () => {
    const seen: number[] = [];
    for (const random of [0, 0.999]) {
      waits.length = 0;
      let runs = 0;
      await retryOnConflict(
        async () => {
          if (runs++ === 0) throw pgError('40001');
        },
        { ...policy, random: () => random },
      );
      seen.push(...waits);
    }
    expect(seen[0]).toBe(5);
    expect(seen[1]).toBeCloseTo(14.99, 2);
  });
});

describe('isTransactionConflict', () => {
  it('knows the codes on the error and on a wrapped driver error, and nothing else', () => {
    expect(isTransactionConflict(pgError('40P01'))).toBe(true);
    expect(isTransactionConflict({ driverError: { code: '40001' } })).toBe(true);
    expect(isTransactionConflict(pgError('40002'))).toBe(false);
    expect(isTransactionConflict(new Error('40P01'))).toBe(false);
    expect(isTransactionConflict(null)).toBe(false);
  });
});
