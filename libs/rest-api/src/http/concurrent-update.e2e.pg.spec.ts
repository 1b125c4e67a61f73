import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CreateTenantCommand } from '@app/application';
import { loadConfigOrThrow } from '@app/config';
import { tenantStream } from '@app/domain';
import { EventStore, ExpectedRevision, NewEvent, PostgresEventStore } from '@app/event-store';
import { openReadModels, ProjectionWriter } from '@app/read-models';
import type { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import { createApi } from '../create-api';

const compact = path.join(__dirname, '../../../../deploy/config/compact');

/**
 * The real PostgreSQL store, with a competing writer that always wins on one stream: before the
 * api's append lands, the same events are appended by "another request", so the api's append
 * fails with the store's own WrongExpectedVersionError on every retry. A lost race made certain.
 */
function withCompetingWriter(store: EventStore, stream: string): EventStore {
  const append = async (s: string, events: NewEvent[], expected: ExpectedRevision) => {
    if (s === stream && typeof expected === 'number') await store.append(s, events, expected);
    return store.append(s, events, expected);
  };
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'append') return append;
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('a race the handler keeps losing (api over HTTP, real PostgreSQL store)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let readModels: DataSource;
  let projectorModels: DataSource;
  let app: INestApplication;
  let base: string;
  let adminKey: string;
  let stopProjector: () => Promise<void>;

  beforeAll(async () => {
    db = await createTestDatabase('api_lost_race');
    const config = loadConfigOrThrow({
      paths: [compact],
      env: { DUFFY_DATABASE__URL: db.url },
    }).config;
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 4 });
    readModels = await openReadModels({ url: db.url, poolSize: 4 });
    projectorModels = await openReadModels({ url: db.url, poolSize: 2 });
    const writer = new ProjectionWriter(projectorModels);
    const projector = store.subscribeToAll({ after: await writer.checkpoint() });
    const projecting = (async () => {
      for await (const event of projector) await writer.apply([event]);
    })();
    stopProjector = async () => {
      await projector.close();
      await projecting.catch(() => undefined);
    };
    app = await createApi(config, {
      infrastructure: {
        store: withCompetingWriter(store, tenantStream('victim')),
        readModels,
        readModelUrl: db.url,
      },
      bcryptCost: 4,
    });
    await app.listen(0, '127.0.0.1');
    base = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/api/v1`;
    const bus = app.get(CommandBus);
    adminKey = (
      await bus.execute(new CreateTenantCommand('admin', 'ssh-ed25519 A', { isAdmin: true }))
    ).apiKey;
    await bus.execute(new CreateTenantCommand('victim', 'ssh-ed25519 V'));
    const [{ head }] = await readModels.query(
      'SELECT max(position)::int AS head FROM event_store.events',
    );
    const deadline = Date.now() + 20_000;
    while ((await writer.checkpoint()) < head && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
    }
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await stopProjector?.();
    await projectorModels?.destroy();
    await readModels?.destroy();
    await store?.close();
    await db?.drop();
  });

  it('answers 503 concurrent_update with Retry-After: 1, not a 4xx', async () => {
    const tenants = await fetch(`${base}/tenants`, { headers: { authorization: auth(adminKey) } });
    const victim = ((await tenants.json()).tenants as Array<{ id: number; name: string }>).find(
      (t) => t.name === 'victim',
    );
    const res = await fetch(`${base}/tenants/${victim!.id}`, {
      method: 'PUT',
      headers: { authorization: auth(adminKey), 'content-type': 'application/json' },
      body: JSON.stringify({ ssh_key: 'ssh-ed25519 NEW' }),
    });
    expect([res.status, res.headers.get('retry-after'), await res.json()]).toEqual([
      503,
      '1',
      { detail: 'too many concurrent updates; try again', code: 'concurrent_update' },
    ]);
  });
});

function auth(key: string): string {
  return `Basic ${Buffer.from(`admin:${key}`).toString('base64')}`;
}
