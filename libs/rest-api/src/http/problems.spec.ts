import { ArgumentsHost, ConflictException, Logger } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested, validate } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { WrongExpectedVersionError } from '@app/event-store';
import { CompactApi, startCompactApi } from '../testing/compact-api';
import { Problem } from './problem';
import { ThrottledWarnings } from './throttled-warnings';
import { ProblemFilter, toProblem } from './problem.filter';
import { describeValidationErrors } from './validation';

describe('error answers (api over HTTP)', () => {
  let api: CompactApi;
  let base: string;

  beforeAll(async () => {
    api = await startCompactApi('problems');
    base = api.base;
  });
  afterAll(() => api?.close());

  it('answers an unknown path with the original 404 detail and a code', async () => {
    const res = await fetch(`${base}/api/v1/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ detail: 'Not Found', code: 'not_found' });
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('answers a body that is not JSON with 422 invalid_json, as the original does', async () => {
    for (const body of ['{"nodes_specs": [', 'nodes_specs', '{"a": 1,}']) {
      const res = await fetch(`${base}/api/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect([body, res.status]).toEqual([body, 422]);
      expect(await res.json()).toEqual({
        detail: expect.stringMatching(/JSON/),
        code: 'invalid_json',
      });
    }
  });

  it('keeps 400 for a path escape that does not decode', async () => {
    const res = await fetch(`${base}/api/v1/sessions/%FF`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'bad_request' });
  });
});

class Spec {
  @IsString() pool: string;
  @IsInt() @Min(1) quantity: number;
}
class Request {
  @ValidateNested({ each: true }) @Type(() => Spec) nodes_specs: Spec[];
}

describe('describeValidationErrors', () => {
  it('names every offending field by its path', async () => {
    const body = plainToInstance(Request, {
      nodes_specs: [
        { pool: 'a', quantity: 1 },
        { pool: 3, quantity: 0 },
      ],
    });
    const detail = describeValidationErrors(await validate(body));
    expect(detail).toBe(
      'nodes_specs.1.pool: pool must be a string; nodes_specs.1.quantity: quantity must not be less than 1',
    );
  });
});

describe('toProblem', () => {
  it('keeps a Problem, maps Nest exceptions by status, hides our own faults', () => {
    const quota = new Problem(403, 'quota_exceeded', 'quota exceeded: ...');
    expect(toProblem(quota)).toBe(quota);
    expect(toProblem(new ConflictException('tenant exists'))).toMatchObject({
      status: 409,
      code: 'conflict',
      detail: 'tenant exists',
    });
    expect(toProblem(new Error('SELECT * FROM secrets failed'))).toMatchObject({
      status: 500,
      code: 'internal_error',
      detail: 'Internal Server Error',
    });
  });
});

describe('ProblemFilter and a lost optimistic race', () => {
  /** A stand-in for Express's response: records what the filter answers. */
  const answer = (exception: unknown) => {
    const sent = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
    const res = {
      status: (code: number) => ((sent.status = code), res),
      setHeader: (name: string, value: string) => (sent.headers[name] = value),
      json: (body: unknown) => (sent.body = body),
      getHeader: () => 'req-1',
    };
    const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
    new ProblemFilter().catch(exception, host);
    return sent;
  };

  afterEach(() => jest.restoreAllMocks());

  it('answers 503 with Retry-After: the conflict is on the server side, not logged as an error', () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    expect(answer(new WrongExpectedVersionError('session-1', 3, 4))).toEqual({
      status: 503,
      headers: { 'Retry-After': '1' },
      body: { detail: 'too many concurrent updates; try again', code: 'concurrent_update' },
    });
    expect(error).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith(
      '[req-1] 503 concurrent_update: too many concurrent updates; try again',
    );
  });

  it('writes one warning per code every 10 s however many expected 5xx are answered', () => {
    const lines: string[] = [];
    let now = 0;
    const warnings = new ThrottledWarnings(
      (line) => lines.push(line),
      10_000,
      () => now,
    );
    for (let i = 0; i < 100; i++) warnings.warn('authentication_busy', `busy ${i}`);
    warnings.warn('concurrent_update', 'conflict');
    now = 10_000;
    warnings.warn('authentication_busy', 'busy again');
    expect(lines).toEqual([
      'busy 0',
      'conflict',
      'busy again (99 more authentication_busy since the last line)',
    ]);
  });

  it('logs a client mistake not at all, and our own fault as an error with its stack', () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    expect(answer(new Problem(422, 'validation_error', 'x: bad')).status).toBe(422);
    expect(error).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
    expect(answer(new Error('boom')).status).toBe(500);
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/^\[req-1\] Error: boom\n\s+at /));
  });
});
