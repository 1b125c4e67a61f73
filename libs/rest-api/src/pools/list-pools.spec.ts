import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { loadConfigOrThrow } from '@app/config';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import { createApi } from '../create-api';

const compact = path.join(__dirname, '../../../../deploy/config/compact');

describe('GET /api/v1/pools (api over HTTP)', () => {
  let app: INestApplication;
  let base: string;
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('list_pools');
    const config = loadConfigOrThrow({
      paths: [compact],
      env: { DUFFY_DATABASE__URL: db.url },
    }).config;
    app = await createApi(config, { bcryptCost: 4 });
    await app.listen(0, '127.0.0.1');
    base = `${await app.getUrl()}/api/v1`.replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('lists the concrete pools that have a fill-level, in config order, never abstract ones', async () => {
    const config = loadConfigOrThrow({ paths: [compact], env: {} }).config;
    const res = await fetch(`${base}/pools`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const body = await res.json();
    const expected = config
      .concretePools()
      .filter((p) => p.fillLevel !== undefined)
      .map((p) => ({ name: p.name, 'fill-level': p.fillLevel }));
    expect(expected.length).toBeGreaterThan(0);
    expect(body).toEqual({ action: 'get', pools: expected });
    const abstract = config.pools.filter((p) => p.kind === 'abstract').map((p) => p.name);
    for (const name of abstract)
      expect(body.pools.map((p: { name: string }) => p.name)).not.toContain(name);
  });

  it('describes itself in OpenAPI', async () => {
    const res = await fetch(`${base}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.info.title).toBe('Duffy');
    expect(Object.keys(doc.paths)).toContain('/api/v1/pools');
  });
});
