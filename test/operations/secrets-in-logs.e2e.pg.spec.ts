import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CreateTenantCommand } from '@app/application';
import { loadConfigOrThrow } from '@app/config';
import { PostgresEventStore } from '@app/event-store';
import { serviceLogger } from '@app/observability';
import { openReadModels, ProjectionWriter } from '@app/read-models';
import { createApi } from '@app/rest-api';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { linesWithSecrets, pemBody } from './secret-detector';

const PASSWORD = 's3cr3t-pw';
const CONFIG = `
app: { host: 127.0.0.1, port: 8080, loglevel: debug }
defaults: { session-lifetime: 6h, session-lifetime-max: 12h, node-quota: 4 }
nodepools:
  concrete:
    plain:
      fill-level: 1
      mechanism: { type: static, static: { hosts: [{ hostname: h.test, ipaddr: 127.0.0.1 }] } }
`;

const basic = (name: string, key: string) =>
  `Basic ${Buffer.from(`${name}:${key}`).toString('base64')}`;

/** Waits until the projector has the admin tenant, so the api can authenticate it. */
async function waitForAdmin(base: string, key: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${base}/tenants`, { headers: { authorization: basic('admin', key) } });
    if (res.status === 200) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the admin tenant was never projected');
}

/** Every line the api logged, as written (JSON lines). */
class CapturedLog extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
}

describe('secrets never reach the logs (api at level debug)', () => {
  jest.setTimeout(60_000);
  let db: TestDatabase;
  let app: INestApplication;
  let store: PostgresEventStore;
  let stopProjector: () => Promise<void>;
  let base = '';
  const log = new CapturedLog();
  const pem = generateKeyPairSync('ed25519').privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  }) as string;
  const apiKeys: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('secrets_in_logs');
    const url = new URL(db.url);
    url.password = PASSWORD;
    const dir = mkdtempSync(join(tmpdir(), 'duffy-secrets-'));
    writeFileSync(join(dir, 'config.yaml'), CONFIG);
    const config = loadConfigOrThrow({
      paths: [dir],
      env: { DUFFY_DATABASE__URL: url.toString() },
    }).config;
    store = await PostgresEventStore.connect({ url: url.toString(), poolSize: 2 });
    const models = await openReadModels({ url: url.toString(), poolSize: 2 });
    const writer = new ProjectionWriter(models);
    const projector = store.subscribeToAll({ after: await writer.checkpoint() });
    const projecting = (async () => {
      for await (const event of projector) await writer.apply([event]);
    })();
    stopProjector = async () => {
      await projector.close();
      await projecting.catch(() => undefined);
      await models.destroy();
    };
    const logger = serviceLogger('api', { level: 'debug', format: 'json', destination: log });
    // The api connects to the store and read models itself, with the password in the URL.
    app = await createApi(config, { bcryptCost: 4, logger });
    await app.listen(0, '127.0.0.1');
    base = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/api/v1`;
    const admin = await app
      .get(CommandBus)
      .execute(new CreateTenantCommand('admin', 'ssh-ed25519 ADMIN', { isAdmin: true }));
    apiKeys.push(admin.apiKey);
    await waitForAdmin(base, admin.apiKey);
    // What a careless caller might hand the logger: the redact paths and the scrub catch them.
    logger.debug({ database: { url: url.toString(), password: PASSWORD } }, 'database');
    logger.debug({ ssh: { private_key: pem }, api_key: admin.apiKey }, 'provisioner settings');
    logger.error(new Error(`cannot connect to ${url.toString()} with key ${pem}`), 'failure');
  });

  afterAll(async () => {
    await app?.close();
    await stopProjector?.();
    await store?.close();
    await db?.drop();
  });

  it('logs one line per request without credentials, and the events carry the request id', async () => {
    const created = await fetch(`${base}/tenants`, {
      method: 'POST',
      headers: {
        authorization: basic('admin', apiKeys[0]),
        'content-type': 'application/json',
        'x-request-id': 'trace-create.1',
      },
      body: JSON.stringify({ name: 'alice', ssh_key: 'ssh-ed25519 ALICE' }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toBe('trace-create.1');
    const alice = ((await created.json()) as { tenant: { id: number; api_key: string } }).tenant;
    apiKeys.push(alice.api_key);

    const shown = await fetch(`${base}/tenants/${alice.id}`, {
      headers: { authorization: basic('alice', alice.api_key), 'x-request-id': 'bad id!' },
    });
    expect(shown.status).toBe(200);
    expect(shown.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const wrong = await fetch(`${base}/tenants`, {
      headers: { authorization: basic('alice', `${alice.api_key}x`) },
    });
    expect(wrong.status).toBe(401);
    const session = await fetch(`${base}/sessions`, {
      method: 'POST',
      headers: { authorization: basic('alice', alice.api_key), 'content-type': 'application/json' },
      body: JSON.stringify({ nodes_specs: [{ pool: 'plain', quantity: 1 }] }),
    });
    expect(session.status).toBeGreaterThanOrEqual(400);

    const lines = log.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const line = lines.find((l) => l.request_id === 'trace-create.1');
    expect(line).toMatchObject({
      service: 'api',
      level: 'info',
      tenant: 'admin',
      method: 'POST',
      route: '/api/v1/tenants',
      status: 201,
      msg: 'POST /api/v1/tenants 201',
    });
    expect(typeof line?.duration_ms).toBe('number');
    expect(lines.find((l) => l.route === '/api/v1/tenants/:id')).toMatchObject({
      tenant: 'alice',
      status: 200,
    });
    // Nest's own start-up lines go through pino too, its route listing only at debug.
    const mapped = lines.filter((l) => l.context === 'RouterExplorer');
    expect(mapped.length).toBeGreaterThan(0);
    expect(mapped.every((l) => l.level === 'debug')).toBe(true);
    const events = await store.readStream('tenant-alice');
    expect(events.map((e) => e.metadata.correlationId)).toEqual(events.map(() => 'trace-create.1'));
  });

  it('never logs an API key, the private key or the database password', () => {
    const secrets = { apiKeys, privateKeyBody: pemBody(pem), databasePassword: PASSWORD };
    expect(log.lines.length).toBeGreaterThan(5);
    expect(linesWithSecrets(log.lines, secrets)).toEqual([]);
    expect(log.lines.some((l) => l.includes('authorization'))).toBe(false);
  });
});
