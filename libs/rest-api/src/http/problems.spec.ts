import * as path from 'node:path';
import { ConflictException, type INestApplication } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested, validate } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { loadConfigOrThrow } from '@app/config';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import { createApi } from '../create-api';
import { Problem } from './problem';
import { toProblem } from './problem.filter';
import { describeValidationErrors } from './validation';

const compact = path.join(__dirname, '../../../../deploy/config/compact');

describe('error answers (api over HTTP)', () => {
  let app: INestApplication;
  let base: string;
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('problems');
    const env = { DUFFY_DATABASE__URL: db.url };
    app = await createApi(loadConfigOrThrow({ paths: [compact], env }).config, { bcryptCost: 4 });
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('answers an unknown path with the original 404 detail and a code', async () => {
    const res = await fetch(`${base}/api/v1/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ detail: 'Not Found', code: 'not_found' });
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('answers a body that is not JSON with 400, not 500', async () => {
    const res = await fetch(`${base}/api/v1/pools`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"nodes_specs": [',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      detail: expect.stringMatching(/JSON/),
      code: 'bad_request',
    });
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
