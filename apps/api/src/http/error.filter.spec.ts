import type { ArgumentsHost } from '@nestjs/common';
import { DomainError } from '@serat/domain';
import { ErrorFilter } from './error.filter';

/** The answer the filter writes for an exception, with a request and response just real enough. */
function answerTo(exception: unknown): { status: number; body: { error: { code: string; message: string } } } {
  const sent: { status: number; body: unknown } = { status: 0, body: null };
  const response = {
    setHeader: () => response,
    status: (status: number) => ((sent.status = status), response),
    type: () => response,
    json: (body: unknown) => ((sent.body = body), response),
  };
  const request = { headers: { 'accept-language': 'en' }, id: 'req-1', method: 'POST', originalUrl: '/api/segments/status' };
  const host = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }) } as unknown as ArgumentsHost;
  new ErrorFilter().catch(exception, host);
  return sent as { status: number; body: { error: { code: string; message: string } } };
}

describe('ErrorFilter', () => {
  it.each(['40P01', '40001'])('answers a transaction conflict (%s) that outlasted its retries with 409, never 500', (code) => {
    // What TypeORM throws: a QueryFailedError carrying the driver's SQLSTATE.
    const answer = answerTo(Object.assign(new Error('deadlock detected'), { code, driverError: { code } }));
    expect(answer.status).toBe(409);
    expect(answer.body.error).toEqual(
      expect.objectContaining({ code: 'WRITE_CONFLICT', message: 'Someone else was changing the same data at the same moment. Try again in a moment.' }),
    );
  });

  it("answers a domain error with the status and the text its feature's table gives", () => {
    const answer = answerTo(new DomainError('NODE_IN_USE', { segments: 2 }));
    expect(answer.status).toBe(409);
    expect(answer.body.error).toEqual(expect.objectContaining({ code: 'NODE_IN_USE', message: 'This node still ends 2 segment(s). Delete or move them first.' }));
    expect(answerTo(new DomainError('PHOTO_INVALID')).status).toBe(415);
  });
});
