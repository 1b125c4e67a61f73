import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Pool } from 'pg';
import {
  createApplication,
  CreateTenantCommand,
  RequestSessionCommand,
  StaticPoolCatalog,
  type Application,
} from '@app/application';
import type { NodeContextualizer, NodeOutcome } from '@app/contextualization';
import { loadConfig } from '@app/config';
import { sessionStream } from '@app/domain';
import { PostgresEventStore } from '@app/event-store';
import { EventStoreSagaSource } from '@app/messaging';
import { currentCorrelationId, withCorrelation } from '@app/observability';
import { createTestDatabase, TestDatabase } from '../../../test/support/postgres';
import { Provisioner } from './provisioner';

const HOUR = 3_600_000;

/** Test double for the ssh contextualizer (no tenant key goes anywhere): notes the id it ran under. */
class RecordingContextualizer implements NodeContextualizer {
  readonly seen: (string | undefined)[] = [];
  async contextualize(ipaddrs: string[]): Promise<NodeOutcome[]> {
    this.seen.push(currentCorrelationId());
    return ipaddrs.map((ipaddr) => ({ ipaddr, ok: true }));
  }
  async decontextualize(ipaddrs: string[]): Promise<NodeOutcome[]> {
    this.seen.push(currentCorrelationId());
    return ipaddrs.map((ipaddr) => ({ ipaddr, ok: true }));
  }
}

// The provisioner's sagas work under the correlation id of the request that caused the event.
describe('provisioner: saga work carries the request correlation id', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let checkpoints: Pool;
  let app: Application;
  let provisioner: Provisioner;
  const contextualizer = new RecordingContextualizer();

  beforeAll(async () => {
    db = await createTestDatabase('saga_correlation');
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 4 });
    checkpoints = new Pool({ connectionString: db.url, max: 2 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duffy-saga-corr-'));
    fs.writeFileSync(
      path.join(dir, 'c.yaml'),
      `defaults: {session-lifetime: 1h, session-lifetime-max: 2h, node-quota: 2}
nodepools:
  concrete:
    ctx:
      fill-level: 1
      mechanism: { type: static, static: { hosts: [{ hostname: c1.test, ipaddr: 127.0.0.1 }] } }
`,
    );
    const config = loadConfig({ paths: [dir], env: {} }).config;
    app = await createApplication({
      store,
      defaults: { nodeQuota: 2, sessionLifetimeMs: HOUR, sessionLifetimeMaxMs: 2 * HOUR },
      pools: StaticPoolCatalog.of(config.concretePools()),
    });
    provisioner = new Provisioner(
      store,
      (p) =>
        new EventStoreSagaSource(store, checkpoints, {
          namePrefix: 'corr',
          maxDeliver: p.maxDeliver,
          retryDelayMs: p.retryDelayMs,
          maxRetryDelayMs: p.maxRetryDelayMs,
          log: () => undefined,
        }),
      config,
      { fillIntervalMs: 200, expireIntervalMs: HOUR, reconcileIntervalMs: HOUR },
      () => undefined,
      contextualizer,
    );
    await provisioner.start();
    await app.bus.execute(new CreateTenantCommand('alice', 'ssh-ed25519 ALICE', {}));
  }, 60_000);

  afterAll(async () => {
    await provisioner?.stop();
    await app?.close();
    await checkpoints?.end();
    await store?.close();
    await db?.drop();
  });

  it("the contextualize saga runs, and appends, under the request's id", async () => {
    const deadline = Date.now() + 30_000;
    let sessionId: number | undefined;
    while (sessionId === undefined && Date.now() < deadline) {
      try {
        const s = await withCorrelation('req-corr.1', () =>
          app.bus.execute(new RequestSessionCommand('alice', [{ pool: 'ctx', quantity: 1 }])),
        );
        sessionId = s.sessionId;
      } catch {
        await new Promise((r) => setTimeout(r, 100)); // the fill has not made the node ready yet
      }
    }
    expect(sessionId).toBeDefined();
    let events = await store.readStream(sessionStream(sessionId as number));
    while (!events.some((e) => e.type === 'SessionActivated') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      events = await store.readStream(sessionStream(sessionId as number));
    }
    expect(events.map((e) => e.type)).toContain('SessionActivated');
    expect(events.map((e) => e.metadata.correlationId)).toEqual(events.map(() => 'req-corr.1'));
    expect(contextualizer.seen).toEqual(['req-corr.1']);
  }, 60_000);
});
