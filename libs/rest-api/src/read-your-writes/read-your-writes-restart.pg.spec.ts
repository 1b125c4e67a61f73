import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CreateTenantCommand } from '@app/application';
import { loadConfigOrThrow, type DuffyConfig } from '@app/config';
import { PostgresEventStore } from '@app/event-store';
import { followLog, openReadModels, ProjectionWriter, type Following } from '@app/read-models';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/postgres';
import { createApi } from '../create-api';

// Issue 12 item 6: the first commands after an api restart waited the whole read-your-writes
// bound (10 s) although the projector (a separate follower here, as in compact mode) was caught
// up. The api is started twice on one database that already has events; the restarted api's
// first command must answer as soon as its event is projected.
const CONFIG = `
app: { host: 127.0.0.1, port: 8080 }
database: { url: 'postgresql://unused@127.0.0.1:5432/unused' }
defaults: { session-lifetime: 6h, session-lifetime-max: 12h, node-quota: 4 }
nodepools:
  concrete:
    p: { mechanism: { type: static, static: { hosts: [{ hostname: h.test, ipaddr: 127.0.0.1 }] } } }
`;

describe('read-your-writes after an api restart (PostgreSQL)', () => {
  let db: TestDatabase;
  let config: DuffyConfig;
  let store: PostgresEventStore;
  let projectorModels: DataSource;
  let following: Following;

  beforeAll(async () => {
    db = await createTestDatabase('ryw_restart');
    const dir = mkdtempSync(join(tmpdir(), 'duffy-ryw-'));
    writeFileSync(join(dir, 'config.yaml'), CONFIG);
    config = loadConfigOrThrow({ paths: [dir], env: { DUFFY_DATABASE__URL: db.url } }).config;
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 4 });
    projectorModels = await openReadModels({ url: db.url, poolSize: 2 });
    following = await followLog(store, new ProjectionWriter(projectorModels), {
      url: db.url,
      channel: 'event_store_appended',
    });
  });
  afterAll(async () => {
    await following?.close();
    await projectorModels?.destroy();
    await store?.close();
    await db?.drop();
  });

  /** An api process of its own: its own pools and LISTEN connection, as after a restart. */
  async function startApi(): Promise<{ app: INestApplication; base: string }> {
    const app = await createApi(config, { bcryptCost: 4 });
    await app.listen(0, '127.0.0.1');
    return { app, base: `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/api/v1` };
  }

  /** Until the projection's checkpoint reaches the head of the log. */
  async function caughtUp(): Promise<void> {
    const head = async () =>
      Number(
        (
          await projectorModels.query(
            'SELECT coalesce(max(position), 0) AS p FROM event_store.events',
          )
        )[0].p,
      );
    const target = await head();
    const writer = new ProjectionWriter(projectorModels);
    const deadline = Date.now() + 10_000;
    while ((await writer.checkpoint()) < target) {
      if (Date.now() > deadline) throw new Error('the projection did not catch up');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async function createTenant(base: string, auth: string, name: string): Promise<number> {
    const started = Date.now();
    const res = await fetch(`${base}/tenants`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name, ssh_key: `ssh-ed25519 ${name}` }),
    });
    expect(res.status).toBe(201);
    return Date.now() - started;
  }

  it('answers the first command of a restarted api as soon as the projection has it', async () => {
    const first = await startApi();
    const { apiKey } = await first.app
      .get(CommandBus)
      .execute(new CreateTenantCommand('admin', 'ssh-ed25519 ADMIN', { isAdmin: true }));
    await caughtUp();
    const auth = `Basic ${Buffer.from(`admin:${apiKey}`).toString('base64')}`;
    try {
      for (let i = 0; i < 2; i++) await createTenant(first.base, auth, `before${i}`);
    } finally {
      await first.app.close();
    }

    const restarted = await startApi();
    try {
      const ms = [];
      for (let i = 0; i < 3; i++) ms.push(await createTenant(restarted.base, auth, `after${i}`));
      // The bound is 10 s; a caught-up projection answers in well under one.
      expect(Math.max(...ms)).toBeLessThan(3_000);
    } finally {
      await restarted.app.close();
    }
  }, 60_000);
});
