import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { Pool } from 'pg';
import { createApplication, StaticPoolCatalog } from '@app/application';
import type { DuffyConfig } from '@app/config';
import { FolderContextualizer } from '@app/contextualization';
import { EmbeddedPostgres } from '@app/embedded-postgres';
import { InstrumentedEventStore, PostgresEventStore } from '@app/event-store';
import { duffyMetrics, projectionLagSource } from '@app/observability';
import {
  allocateTimeoutMs,
  createLegacyServer,
  LegacyHandlers,
  Upstream,
  UPSTREAM_TIMEOUT_MS,
} from '@app/legacy-api';
import { EventStoreSagaSource } from '@app/messaging';
import { Provisioner } from '@app/provisioning';
import {
  followLog,
  openReadModels,
  ProjectionWriter,
  READ_MODEL_PROJECTION,
  type Following,
} from '@app/read-models';
import { createApi } from '@app/rest-api';
import { domainDefaults } from '../infrastructure/server-config';
import { ensureAdminClient, type AdminClient } from './admin-client';
import { databaseFolder } from './data-dir-lock';

export interface EmbeddedDuffyOptions {
  config: DuffyConfig;
  dataDir: string;
  port: number;
  /** The legacy API's port; none when the configuration has no metaclient section. */
  legacyPort?: number;
  /** Contextualize over ssh instead of the demo nodes' folders. */
  ssh: boolean;
  log: (line: string) => void;
  /** bcrypt cost of API keys (tests lower it). */
  bcryptCost?: number;
}

export interface EmbeddedDuffy {
  apiUrl: string;
  legacyUrl?: string;
  admin: AdminClient;
  /** Where the demo nodes' authorized_keys live (absent with --ssh). */
  nodesDir?: string;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
/** The admin's key is a real one: the production cost, as the api and `duffy admin` use. */
const ADMIN_KEY_HASH_COST = 12;

/**
 * Every Duffy service in this one process, as DESIGN's embedded mode: PGlite served on a
 * loopback port holds the events and the read models (so the same pg/TypeORM code runs as in
 * the compact mode), the projector follows the log in-process, the provisioner's sagas read the
 * event store's own catch-up subscription instead of NATS, and the api and legacy API listen on
 * loopback. Stopped in reverse order.
 */
export async function startEmbeddedDuffy(o: EmbeddedDuffyOptions): Promise<EmbeddedDuffy> {
  const stack: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const step of stack.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    mkdirSync(o.dataDir, { recursive: true });
    const db = await EmbeddedPostgres.start({ dataDir: databaseFolder(o.dataDir), host: HOST });
    stack.push(() => db.stop());
    const store = new InstrumentedEventStore(
      await PostgresEventStore.connect({ url: db.url, poolSize: 5 }),
      duffyMetrics(),
    );
    stack.push(() => store.close());
    const readModels = await openReadModels({ url: db.url, poolSize: 6 });
    stack.push(() => readModels.destroy());

    const writer = new ProjectionWriter(readModels);
    const following = await followLog(store, writer, {
      url: db.url,
      channel: 'event_store_appended',
    });
    stack.push(() => following.close());
    const lag = projectionLagSource(store, READ_MODEL_PROJECTION, () => writer.checkpoint());
    const removeLag = duffyMetrics().addGaugeSource('projector:lag', lag);
    stack.push(async () => removeLag());
    watchFailure(following, o.log);

    const apiUrl = `http://${HOST}:${o.port}/api/v1`;
    // The admin tenant is written through the application's bus; the api and the provisioner
    // have their own contexts on the same store.
    const app = await createApplication({
      store,
      defaults: domainDefaults(o.config),
      pools: StaticPoolCatalog.of(o.config.concretePools()),
      apiKeyHashCost: ADMIN_KEY_HASH_COST,
    });
    stack.push(() => app.close());
    const admin = await ensureAdminClient(app.bus, store, o.dataDir, apiUrl);

    const checkpoints = new Pool({ connectionString: db.url, max: 2 });
    stack.push(() => checkpoints.end());
    const nodesDir = o.ssh ? undefined : join(o.dataDir, 'nodes');
    const provisioner = new Provisioner(
      store,
      (p) =>
        new EventStoreSagaSource(store, checkpoints, {
          namePrefix: p.durablePrefix ?? 'duffy',
          maxDeliver: p.maxDeliver,
          retryDelayMs: p.retryDelayMs,
          maxRetryDelayMs: p.maxRetryDelayMs,
          log: o.log,
        }),
      o.config,
      {
        instance: `duffy-dev:${process.pid}`,
        fillIntervalMs: o.config.tasks.fillPoolsIntervalMs,
        expireIntervalMs: o.config.tasks.expireSessionsIntervalMs,
      },
      (line) => o.log(`provisioner: ${line}`),
      nodesDir ? new FolderContextualizer(nodesDir) : undefined,
    );
    await provisioner.start();
    stack.push(() => provisioner.stop());

    const api = await createApi(o.config, {
      infrastructure: { store, readModels, readModelUrl: db.url },
      bcryptCost: o.bcryptCost,
    });
    await listenApi(api, o.port);
    stack.push(() => api.close());

    const legacy = o.legacyPort === undefined ? undefined : await startLegacy(o, admin, o.port);
    if (legacy) stack.push(() => closeServer(legacy));

    return {
      apiUrl,
      legacyUrl: legacy ? `http://${HOST}:${o.legacyPort}` : undefined,
      admin,
      nodesDir,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function listenApi(api: INestApplication, port: number): Promise<void> {
  try {
    await api.listen(port, HOST);
  } catch (error) {
    await api.close().catch(() => undefined);
    throw portError('api', port, '--port', error);
  }
}

/** The legacy (Duffy v2) API in front of this process's api; the admin's key is a legacy key. */
async function startLegacy(
  o: EmbeddedDuffyOptions,
  admin: AdminClient,
  apiPort: number,
): Promise<Server | undefined> {
  const mc = o.config.metaclient;
  if (!mc) return undefined;
  const config = {
    ...mc,
    usermap: { ...mc.usermap, [admin.key]: admin.name },
    auth: mc.auth ?? { name: admin.name, key: admin.key },
  };
  const handlers = new LegacyHandlers(config, new Upstream(`http://${HOST}:${apiPort}`), {
    allocateTimeoutMs: allocateTimeoutMs(o.config),
    timeoutMs: UPSTREAM_TIMEOUT_MS,
    log: (line) => o.log(`legacy: ${line}`),
  });
  const server = createLegacyServer(config, handlers, (level, id, msg) => {
    if (level !== 'INFO') o.log(`legacy [${id}] ${level} ${msg}`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(portError('legacy API', o.legacyPort as number, '--legacy-port', error)),
    );
    server.listen(o.legacyPort, HOST, () => resolve());
  });
  return server;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function portError(what: string, port: number, flag: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE') {
    return new Error(`the ${what} cannot listen on ${HOST}:${port}: the port is in use (${flag})`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

function watchFailure(following: Following, log: (line: string) => void): void {
  following.done.catch((error: unknown) =>
    log(`projector stopped: ${(error as Error)?.stack ?? String(error)}`),
  );
}
