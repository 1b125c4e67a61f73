import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ChangeNodeCommand, CreateTenantCommand } from '@app/application';
import { loadConfigOrThrow } from '@app/config';
import type { DuffyConfig } from '@app/config';
import { PostgresEventStore } from '@app/event-store';
import type { Subscription } from '@app/event-store';
import { openReadModels, ProjectionWriter } from '@app/read-models';
import type { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import { createApi } from '../create-api';

/** A parsed JSON answer, read loosely by the tests. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** Pools of the tests: `plain-*` need no contextualization, `ctx` waits for a provisioner. */
const CONFIG = `
app: { host: 127.0.0.1, port: 8080, session-wait: SESSION_WAIT }
database: { url: 'postgresql://unused@127.0.0.1:5432/unused' }
defaults: { session-lifetime: 6h, session-lifetime-max: 12h, node-quota: 4 }
nodepools:
  abstract:
    template: { fill-level: 3, contextualize: false }
  concrete:
    plain-a:
      extends: template
      mechanism: { type: static, static: { hosts: [{ hostname: h.test, ipaddr: 127.0.0.1 }] } }
    plain-b:
      extends: template
      mechanism: { type: static, static: { hosts: [{ hostname: h.test, ipaddr: 127.0.0.1 }] } }
    ctx:
      fill-level: 1
      mechanism: { type: static, static: { hosts: [{ hostname: h.test, ipaddr: 127.0.0.1 }] } }
    unfilled:
      mechanism: { type: static, static: { hosts: [{ hostname: h.test, ipaddr: 127.0.0.1 }] } }
`;

/** The api over HTTP on 127.0.0.1, a projector following the log in-process, a fresh database. */
export class ApiHarness {
  base = '';
  adminKey = '';
  private ipCounter = 0;

  private constructor(
    readonly db: TestDatabase,
    readonly config: DuffyConfig,
    readonly store: PostgresEventStore,
    readonly readModels: DataSource,
    readonly app: INestApplication,
    private readonly projector: Subscription,
    private readonly projecting: Promise<void>,
  ) {}

  static async start(name: string, options: { sessionWait?: string } = {}): Promise<ApiHarness> {
    const db = await createTestDatabase(name);
    const dir = mkdtempSync(join(tmpdir(), 'duffy-api-'));
    writeFileSync(
      join(dir, 'config.yaml'),
      CONFIG.replace('SESSION_WAIT', options.sessionWait ?? '2s'),
    );
    const config = loadConfigOrThrow({
      paths: [dir],
      env: { DUFFY_DATABASE__URL: db.url },
    }).config;
    const store = await PostgresEventStore.connect({ url: db.url, poolSize: 6 });
    const readModels = await openReadModels({ url: db.url, poolSize: 6 });
    const projectorModels = await openReadModels({ url: db.url, poolSize: 2 });
    const writer = new ProjectionWriter(projectorModels);
    const projector = store.subscribeToAll({ after: await writer.checkpoint() });
    const projecting = (async () => {
      for await (const event of projector) await writer.apply([event]);
      await projectorModels.destroy();
    })();
    const app = await createApi(config, {
      infrastructure: { store, readModels, readModelUrl: db.url },
      bcryptCost: 4,
    });
    await app.listen(0, '127.0.0.1');
    const h = new ApiHarness(db, config, store, readModels, app, projector, projecting);
    h.base = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/api/v1`;
    const { apiKey } = await h
      .bus()
      .execute(new CreateTenantCommand('admin', 'ssh-ed25519 ADMIN', { isAdmin: true }));
    h.adminKey = apiKey;
    await h.caughtUp();
    return h;
  }

  /**
   * Waits until the projection has applied every event appended so far. The head comes from the
   * table, not readAll: readAll holds back events while any older transaction on the server is
   * still open, so under load it can report an old head and let this return too early.
   */
  async caughtUp(): Promise<void> {
    const [{ head }] = await this.readModels.query(
      'SELECT coalesce(max(position), 0) AS head FROM event_store.events',
    );
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const rows = await this.readModels.query('SELECT position FROM projection_checkpoints');
      if (Number(head) === 0 || (rows.length > 0 && Number(rows[0].position) >= Number(head)))
        return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('the projection did not catch up');
  }

  bus(): CommandBus {
    return this.app.get(CommandBus);
  }

  async stop(): Promise<void> {
    await this.app.close();
    await this.projector.close();
    await this.projecting.catch(() => undefined);
    await this.readModels.destroy();
    await this.store.close();
    await this.db.drop();
  }

  /** Provisions `count` ready nodes into the pool through the node commands. */
  async readyNodes(pool: string, count: number): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      const nodeId = await this.store.nextId('node');
      const n = ++this.ipCounter;
      const ipaddr = `127.1.${Math.floor(n / 250)}.${(n % 250) + 1}`;
      const provision = { ipaddr };
      const change = (choose: ConstructorParameters<typeof ChangeNodeCommand>[1]) =>
        this.bus().execute(new ChangeNodeCommand(nodeId, choose, 'test'));
      await change((_, now) => ({ type: 'StartProvisioning', data: { nodeId, pool, now } }));
      await change((_, now) => ({
        type: 'CompleteProvisioning',
        data: { hostname: `n${nodeId}.test`, ipaddr, provision, now },
      }));
      ids.push(nodeId);
    }
    await this.caughtUp();
    return ids;
  }

  /** HTTP to the api; `auth` is [name, key]. Returns status, JSON body and headers. */
  async call(
    method: string,
    path: string,
    options: {
      auth?: [string, string];
      body?: unknown;
      rawBody?: string;
      headers?: Record<string, string>;
    } = {},
  ): Promise<{ status: number; body: Json; headers: Headers }> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.auth) {
      headers.authorization = `Basic ${Buffer.from(options.auth.join(':')).toString('base64')}`;
    }
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(`${this.base}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  admin(): [string, string] {
    return ['admin', this.adminKey];
  }

  /** Creates a tenant through the api (as admin); returns its id and credentials. */
  async tenant(
    name: string,
    extra: Record<string, unknown> = {},
  ): Promise<{ id: number; auth: [string, string] }> {
    const res = await this.call('POST', '/tenants', {
      auth: this.admin(),
      body: { name, ssh_key: `ssh-ed25519 ${name}`, ...extra },
    });
    if (res.status !== 201)
      throw new Error(`tenant ${name}: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.tenant.id, auth: [name, res.body.tenant.api_key] };
  }
}
