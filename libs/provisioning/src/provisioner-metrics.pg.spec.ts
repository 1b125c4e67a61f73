import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigOrThrow, NodePool } from '@app/config';
import { poolStream } from '@app/domain';
import { InstrumentedEventStore, PostgresEventStore } from '@app/event-store';
import { Application, createApplication, StaticPoolCatalog, SystemClock } from '@app/application';
import { MechanismRegistry } from '@app/mechanisms';
import { duffyMetrics } from '@app/observability';
import { settled } from '../../application/src/acceptance/settled';
import { createTestDatabase, TestDatabase } from '../../../test/support/postgres';
import { fillGauges } from './fill-gauges';
import { DEFAULT_PROVISIONER_OPTIONS } from './provisioner-options';
import { ProvisionerView } from './provisioner-view';
import { RunRecorder } from './run-recorder';
import { PoolFiller } from './sagas/pool-filler';

// Provisioner-side metrics through a real fill of a static pool (no machines needed) on a real
// PostgreSQL: playbook runs by pool/kind/status, fill level and deficit, timed appends.
jest.setTimeout(30_000);

function staticPool(name: string, fillLevel: number): NodePool {
  const dir = mkdtempSync(join(tmpdir(), 'duffy-metrics-fill-'));
  writeFileSync(
    join(dir, 'pools.yaml'),
    `nodepools:
  concrete:
    ${name}:
      fill-level: ${fillLevel}
      mechanism:
        type: static
        static: { hosts: [{ hostname: m1, ipaddr: 127.3.1.1 }, { hostname: m2, ipaddr: 127.3.1.2 }] }
`,
  );
  return loadConfigOrThrow({ paths: [dir], env: {} }).config.pool(name) as NodePool;
}

/** The `_count` of the append histogram: appends made through the decorator so far. */
const singleAppends = async (): Promise<number> => {
  const histogram = duffyMetrics().registry.getSingleMetric(
    'duffy_event_store_append_duration_seconds',
  );
  // Histogram values carry their series name (`_bucket`, `_sum`, `_count`) as metricName.
  const values = (await histogram!.get()).values as Array<{
    metricName?: string;
    labels: Record<string, unknown>;
    value: number;
  }>;
  const count = values.find(
    (v) =>
      v.metricName === 'duffy_event_store_append_duration_seconds_count' &&
      v.labels.kind === 'single',
  );
  return count?.value ?? 0;
};

describe('provisioner metrics on PostgreSQL', () => {
  let db: TestDatabase;
  let store: InstrumentedEventStore;
  let view: ProvisionerView;
  let filler: PoolFiller | undefined;
  let app: Application;

  beforeAll(async () => {
    db = await createTestDatabase('metrics_fill');
    const pg = await PostgresEventStore.connect({ url: db.url, poolSize: 4 });
    store = new InstrumentedEventStore(pg, duffyMetrics());
    view = new ProvisionerView(store);
    view.start();
    app = await createApplication({ store, pools: new StaticPoolCatalog([]) });
  });

  afterAll(async () => {
    filler?.stop();
    await app?.close();
    await view?.stop();
    await store?.close();
    await db?.drop();
  });

  it('a fill run: runs counted by outcome, level and deficit (3 wanted, 2 hosts → 1)', async () => {
    const pool = staticPool('metrics-static', 3);
    const remove = duffyMetrics().addGaugeSource(
      'test:fill',
      fillGauges(() => [pool], view, duffyMetrics()),
    );
    const appendsBefore = await singleAppends();
    filler = new PoolFiller({
      store,
      bus: app.bus,
      clock: new SystemClock(),
      view,
      pools: () => [pool],
      mechanisms: new MechanismRegistry({ ansible: { timeoutMs: 1000 } }),
      recorder: new RunRecorder(app.bus, new SystemClock(), 'test'),
      options: { ...DEFAULT_PROVISIONER_OPTIONS, fillBackoff: { baseMs: 0, maxMs: 0 } },
      log: () => undefined,
    });
    await filler.fill(pool);
    await settled(store, poolStream(pool.name));
    await view.refresh();

    const text = await duffyMetrics().scrape();
    expect(text).toContain('duffy_pool_fill_level{pool="metrics-static"} 3');
    expect(text).toContain('duffy_pool_fill_deficit{pool="metrics-static"} 1');
    const runs = duffyMetrics().registry.getSingleMetric('duffy_playbook_runs_total');
    const values = (await runs!.get()).values.filter((v) => v.labels.pool === 'metrics-static');
    expect(values.length).toBeGreaterThan(0);
    expect(values.every((v) => v.labels.kind === 'provision')).toBe(true);
    const succeeded = values
      .filter((v) => v.labels.status === 'succeeded')
      .reduce((n, v) => n + v.value, 0);
    expect(succeeded).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(
      /duffy_playbook_run_duration_seconds_count\{pool="metrics-static",kind="provision"\} [1-9]/,
    );
    // Appends made by the fill went through the decorator.
    expect(await singleAppends()).toBeGreaterThan(appendsBefore);
    remove();
  });
});
