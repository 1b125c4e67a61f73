import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { loadConfigOrThrow } from '@app/config';
import { PostgresEventStore } from '@app/event-store';
import { openReadModels, ProjectionWriter } from '@app/read-models';
import type { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '../../../../../test/support/postgres';
import { createApi } from '../../create-api';
import { TcpProxy } from './testing/tcp-proxy';

jest.setTimeout(60_000);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * The api's event store and read models reach the real PostgreSQL through a proxy this test
 * owns, so it can take the database away from the api (and only from the api).
 */
describe('GET /api/v1/ready and /health', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let store: PostgresEventStore;
  let readModels: DataSource;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase('readiness');
    const direct = new URL(db.url);
    proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(direct.port || 5432) });
    const viaProxy = new URL(db.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const dir = mkdtempSync(join(tmpdir(), 'duffy-readiness-'));
    writeFileSync(
      join(dir, 'config.yaml'),
      `database: { url: '${viaProxy.toString()}' }
defaults: { session-lifetime: 6h, session-lifetime-max: 12h, node-quota: 4 }
observability: { ready: { max-projection-lag: 1s } }
`,
    );
    const config = loadConfigOrThrow({ paths: [dir], env: {} }).config;
    store = await PostgresEventStore.connect({ url: viaProxy.toString(), poolSize: 3 });
    readModels = await openReadModels({ url: viaProxy.toString(), poolSize: 3 });
    app = await createApi(config, {
      infrastructure: { store, readModels, readModelUrl: viaProxy.toString() },
      bcryptCost: 4,
    });
    await app.listen(0, '127.0.0.1');
    base = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/api/v1`;
  });

  afterAll(async () => {
    await proxy?.resume().catch(() => undefined);
    await app?.close();
    await readModels?.destroy().catch(() => undefined);
    await store?.close().catch(() => undefined);
    await proxy?.cut();
    await db?.drop();
  });

  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`);
    return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
  };

  /** Asks /ready until `done` holds (bounded), returning the last answer. */
  const readyUntil = async (done: (r: { status: number }) => boolean, withinMs: number) => {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const r = await get('/ready');
      if (done(r) || Date.now() > deadline) return r;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  it('is ready with the database, not without it, and ready again when it is back', async () => {
    const ready = await get('/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      info: {
        event_store: { status: 'up' },
        read_models: { status: 'up' },
        projection_lag: { status: 'up', lag_seconds: 0 },
      },
      error: {},
    });
    expect(Object.keys(ready.body.details).sort()).toEqual([
      'event_store',
      'projection_lag',
      'read_models',
    ]);

    await proxy.cut();
    const started = Date.now();
    const down = await readyUntil((r) => r.status === 503, 10_000);
    expect(down.status).toBe(503);
    // Each check is bounded (2 s), so the answer comes within a few seconds of the cut.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(down.body.status).toBe('error');
    expect(down.body.error.read_models).toMatchObject({ status: 'down' });
    expect(down.body.error.event_store).toMatchObject({ status: 'down' });
    expect(typeof down.body.error.read_models.message).toBe('string');
    // No address or credential of the database in a public answer.
    expect(JSON.stringify(down.body)).not.toContain(String(proxy.port));

    const alive = await get('/health');
    expect(alive.status).toBe(200);
    expect(alive.body).toEqual({ status: 'ok', info: {}, error: {}, details: {} });

    await proxy.resume();
    const back = await readyUntil((r) => r.status === 200, 20_000);
    expect(back.status).toBe(200);
    expect(back.body.status).toBe('ok');
  });

  it('answers within the check timeout when PostgreSQL accepts but does not answer', async () => {
    expect((await get('/ready')).status).toBe(200);
    await proxy.stall();
    try {
      const started = Date.now();
      const stalled = await get('/ready');
      const took = Date.now() - started;
      expect(stalled.status).toBe(503);
      // Every check is bounded at 2 s and they run side by side.
      expect(took).toBeLessThan(4_000);
      expect(stalled.body.error.read_models).toEqual({
        status: 'down',
        message: 'read_models: no answer within 2000 ms',
      });
      expect(stalled.body.error.event_store).toEqual({
        status: 'down',
        message: 'event_store: no answer within 2000 ms',
      });
      expect((await get('/health')).status).toBe(200);
    } finally {
      await proxy.resume();
    }
    expect((await readyUntil((r) => r.status === 200, 20_000)).status).toBe(200);
  });

  it('is not ready while the read models lag the event log beyond max-projection-lag', async () => {
    // Nothing projects in this test until the end: the appended event waits.
    await store.append('tenant-readiness-lag', [{ type: 'Probe', data: {} }], 'any');
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    const lagging = await get('/ready');
    expect(lagging.status).toBe(503);
    expect(lagging.body.error.projection_lag).toMatchObject({
      status: 'down',
      max_lag_seconds: 1,
    });
    expect(lagging.body.error.projection_lag.lag_seconds).toBeGreaterThanOrEqual(1);
    expect(lagging.body.info.read_models).toMatchObject({ status: 'up' });

    const writer = new ProjectionWriter(readModels);
    await writer.apply(await store.readAll({ after: await writer.checkpoint() }));
    const caughtUp = await get('/ready');
    expect(caughtUp.status).toBe(200);
    expect(caughtUp.body.info.projection_lag).toMatchObject({ status: 'up', lag_seconds: 0 });
  });

  it('is public and documented under the operations tag', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as Json;
    expect(doc.paths['/api/v1/health'].get.tags).toEqual(['operations']);
    expect(doc.paths['/api/v1/ready'].get.tags).toEqual(['operations']);
    expect(doc.paths['/api/v1/ready'].get.responses['503']).toBeDefined();
  });
});
