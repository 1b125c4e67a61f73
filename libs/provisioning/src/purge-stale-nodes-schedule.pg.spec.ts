import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Pool } from 'pg';
import { ChangeNodeCommand, createApplication, StaticPoolCatalog } from '@app/application';
import { loadConfig } from '@app/config';
import { nodeStream } from '@app/domain';
import { PostgresEventStore } from '@app/event-store';
import { EventStoreSagaSource } from '@app/messaging';
import { createTestDatabase, TestDatabase } from '../../../test/support/postgres';
import { Provisioner } from './provisioner';
import { PURGE_STALE_ACTOR } from './purge-stale-nodes-schedule';

const HOUR = 3_600_000;

// The provisioner's purge timer, on the real PostgreSQL store (sagas fed by the store itself).
describe('provisioner: tasks.periodic.purge-stale-nodes', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let checkpoints: Pool;
  let now = Date.parse('2026-03-01T08:00:00.000Z');
  const clock = { now: () => new Date(now) };

  const configWith = (tasks: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duffy-purge-schedule-'));
    fs.writeFileSync(
      path.join(dir, 'c.yaml'),
      'defaults: {session-lifetime: 1h, session-lifetime-max: 2h, node-quota: 1}\n' + tasks,
    );
    return loadConfig({ paths: [dir], env: {} }).config;
  };

  const provisionerOf = (tasks: string, lines: string[]) =>
    new Provisioner(
      store,
      (p) =>
        new EventStoreSagaSource(store, checkpoints, {
          namePrefix: p.durablePrefix ?? 'purge',
          maxDeliver: p.maxDeliver,
          retryDelayMs: p.retryDelayMs,
          maxRetryDelayMs: p.maxRetryDelayMs,
          log: () => undefined,
        }),
      configWith(tasks),
      {
        fillIntervalMs: HOUR,
        expireIntervalMs: HOUR,
        reconcileIntervalMs: HOUR,
        // The reconciler must not fail the stuck node first: only the purge moves it here.
        timeouts: { provisioningMs: 100 * HOUR, contextualizingMs: HOUR, deprovisioningMs: HOUR },
      },
      (line) => lines.push(line),
      undefined,
      clock,
    );

  const stuckPlaceholder = async (): Promise<number> => {
    const app = await createApplication({
      store,
      clock,
      defaults: { nodeQuota: 1, sessionLifetimeMs: HOUR, sessionLifetimeMaxMs: 2 * HOUR },
      pools: new StaticPoolCatalog(['small']),
    });
    try {
      const nodeId = await store.nextId('node');
      await app.bus.execute(
        new ChangeNodeCommand(
          nodeId,
          (_, at) => ({ type: 'StartProvisioning', data: { nodeId, pool: 'small', now: at } }),
          'test',
        ),
      );
      return nodeId;
    } finally {
      await app.close();
    }
  };

  const typesOf = async (nodeId: number) =>
    (await store.readStream(nodeStream(nodeId))).map((e) => e.type);

  beforeAll(async () => {
    db = await createTestDatabase('purge_schedule');
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 4 });
    checkpoints = new Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    await checkpoints?.end();
    await store?.close();
    await db?.drop();
  });

  it('is off unless configured: a stuck node stays as it is', async () => {
    const nodeId = await stuckPlaceholder();
    now += 3 * HOUR;
    const provisioner = provisionerOf('', []);
    await provisioner.start();
    await provisioner.stop();
    expect(await typesOf(nodeId)).toEqual(['NodeProvisioningStarted']);
  });

  it('when configured, retires a placeholder stuck provisioning longer than the bound', async () => {
    const nodeId = await stuckPlaceholder();
    now += 3 * HOUR;
    const lines: string[] = [];
    const provisioner = provisionerOf(
      'tasks: {periodic: {purge-stale-nodes: {interval: 1h, older-than: 2h}}}\n',
      lines,
    );
    await provisioner.start();
    try {
      const deadline = Date.now() + 10_000;
      while (!(await typesOf(nodeId)).includes('NodeRetired') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await provisioner.stop();
    }
    expect(await typesOf(nodeId)).toEqual([
      'NodeProvisioningStarted',
      'NodeProvisioningFailed',
      'NodeRetired',
    ]);
    const events = await store.readStream(nodeStream(nodeId));
    expect(events[2].metadata?.actor).toBe(PURGE_STALE_ACTOR);
    expect(lines.some((l) => l.startsWith(`purge-stale: node ${nodeId} `))).toBe(true);
  });
});
