import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { loadConfigOrThrow, type DuffyConfig } from '@app/config';
import { PostgresEventStore } from '@app/event-store';
import { openReadModels } from '@app/read-models';
import { createApi } from '@app/rest-api';
import type { DataSource } from 'typeorm';
import {
  startProjectorStatus,
  type ProjectorStatus,
} from '../../apps/projector/src/projector-status';
import { startProvisionerStatus } from '../../apps/provisioner/src/provisioner-status';
import {
  allReady,
  askService,
  statusLine,
  statusTargets,
} from '../../apps/cli/src/status/service-status';
import { freePort } from '../support/duffy-dev';
import { createTestDatabase, TestDatabase } from '../support/postgres';

jest.setTimeout(60_000);

// What `duffy status` gathers, against the real api (in-process, over HTTP), the projector's and
// the provisioner's real status servers (their apps' own start functions), real PostgreSQL and
// NATS. The command's wiring (config, --format, exit code) is apps/cli/src/commands/status.spec.ts.
describe('duffy status against a real api and status ports', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let readModels: DataSource;
  let nats: NatsConnection;
  let app: INestApplication;
  let config: DuffyConfig;
  let projector: ProjectorStatus | undefined;
  let provisioner: { close(): Promise<void> } | undefined;
  const logged: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('cli_status');
    const [apiPort, projectorPort, provisionerPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const dir = mkdtempSync(join(tmpdir(), 'duffy-cli-status-'));
    writeFileSync(
      join(dir, 'config.yaml'),
      `app: { host: 127.0.0.1, port: ${apiPort} }
database: { url: '${db.url}' }
defaults: { session-lifetime: 6h, session-lifetime-max: 12h, node-quota: 4 }
tasks: { nats: { url: 'nats://127.0.0.1:4222' } }
observability:
  status: { host: 127.0.0.1, projector-port: ${projectorPort}, provisioner-port: ${provisionerPort} }
`,
    );
    config = loadConfigOrThrow({ paths: [dir], env: {} }).config;
    store = await PostgresEventStore.connect({ url: db.url, poolSize: 4 });
    readModels = await openReadModels({ url: db.url, poolSize: 4 });
    nats = await connect({ servers: '127.0.0.1:4222' });
    app = await createApi(config, {
      infrastructure: { store, readModels, readModelUrl: db.url },
      bcryptCost: 4,
    });
    await app.listen(apiPort, '127.0.0.1');
    const log = (line: string) => logged.push(line);
    projector = await startProjectorStatus(config, log);
    provisioner = await startProvisionerStatus(config, store, nats, log);
  });

  afterAll(async () => {
    await provisioner?.close();
    await projector?.close();
    await app?.close();
    await nats?.close();
    await readModels?.destroy();
    await store?.close();
    await db?.drop();
  });

  const gather = () => Promise.all(statusTargets(config).map((t) => askService(t)));

  it('reports a standby projector as not ready, then everything ready once it is active', async () => {
    expect(logged).toEqual([
      expect.stringMatching(
        /^status \(\/health, \/ready, \/metrics\) on http:\/\/127\.0\.0\.1:\d+$/,
      ),
    ]);
    const standby = await gather();
    expect(standby.map(statusLine)).toEqual([
      'api ready: event_store up, read_models up, projection_lag up (0 s)',
      'projector NOT READY: projector_lock down (standby: another projector is active)',
      expect.stringMatching(/^provisioner ready: event_store up, nats up \(\d+(\.\d+)? ms\)$/),
    ]);
    expect(allReady(standby)).toBe(false);

    projector!.activate(store, readModels);
    const active = await gather();
    expect(active.map(statusLine)).toEqual([
      'api ready: event_store up, read_models up, projection_lag up (0 s)',
      'projector ready: event_store up, read_models up, projection_lag up (0 s)',
      expect.stringMatching(/^provisioner ready: event_store up, nats up/),
    ]);
    expect(allReady(active)).toBe(true);
    expect(active[0]).toMatchObject({ service: 'api', live: true, ready: true });
  });

  it('reports a service that is gone as unreachable', async () => {
    await provisioner!.close();
    provisioner = undefined;
    const statuses = await gather();
    expect(statusLine(statuses[2])).toMatch(
      /^provisioner unreachable at http:\/\/127\.0\.0\.1:\d+\/ready: ECONNREFUSED$/,
    );
    expect(allReady(statuses)).toBe(false);
  });
});
