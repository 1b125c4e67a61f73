import 'reflect-metadata';
import { hostname } from 'node:os';
import { formatProblem, loadConfig, type DuffyConfig } from '@app/config';
import { connectNats } from '@app/messaging';
import { serviceLogger } from '@app/observability';
import {
  connectEventStore,
  natsSagas,
  DEFAULT_PROVISIONER_OPTIONS,
  Provisioner,
  ProvisionerOptions,
} from '@app/provisioning';
import { startProvisionerStatus } from './provisioner-status';

/**
 * `node dist/apps/provisioner/main.js [-c FILE|DIR]...`. Intervals come from `tasks.periodic`,
 * NATS from `tasks.nats.url` and `tasks.nats.prefix`; everything else from
 * `DUFFY_PROVISIONER_OPTIONS` (a JSON object of ProvisionerOptions fields, see
 * docs/provisioning.md).
 */
async function main(argv: string[]): Promise<void> {
  const paths = argv.flatMap((a, i) => (a === '-c' || a === '--config' ? [argv[i + 1]] : []));
  const { config, problems } = loadConfig({ paths });
  if (problems.length > 0) {
    for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
    process.exit(1);
  }
  const overrides = JSON.parse(
    process.env.DUFFY_PROVISIONER_OPTIONS ?? '{}',
  ) as Partial<ProvisionerOptions>;
  const options: Partial<ProvisionerOptions> = {
    instance: `${hostname()}:${process.pid}`,
    namespace: natsNamespace(config),
    replicas: config.tasks.natsReplicas,
    fillIntervalMs: config.tasks.fillPoolsIntervalMs,
    expireIntervalMs: config.tasks.expireSessionsIntervalMs,
    ...overrides,
    timeouts: { ...DEFAULT_PROVISIONER_OPTIONS.timeouts, ...overrides.timeouts },
    fillBackoff: { ...DEFAULT_PROVISIONER_OPTIONS.fillBackoff, ...overrides.fillBackoff },
    ssh: { ...DEFAULT_PROVISIONER_OPTIONS.ssh, ...overrides.ssh },
  };
  const store = await connectEventStore(config);
  const nc = await connectNats(config.tasks.natsServers, options.instance);
  // JSON lines with correlation_id (and session_id/node_id) inside a saga's work.
  const logger = serviceLogger('provisioner', { level: config.app.loglevel });
  const log = (m: string) => logger.info(m);
  const provisioner = new Provisioner(store, natsSagas(nc), config, options, log);
  await provisioner.start();
  log(`provisioner ${options.instance} started`);
  const status = await startProvisionerStatus(config, store, nc, log);
  if (status) log(`status (/health, /ready, /metrics) on ${status.url}`);
  const shutdown = async () => {
    await status?.close();
    await provisioner.stop();
    await nc.drain();
    await store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

/** `tasks.nats.prefix` (validated by the config schema); undefined: derive from the store. */
function natsNamespace(config: DuffyConfig): string | undefined {
  const nats = (config.raw.tasks as { nats?: { prefix?: unknown } } | undefined)?.nats;
  return typeof nats?.prefix === 'string' ? nats.prefix : undefined;
}

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(`provisioner failed to start: ${String(e)}\n`);
  process.exit(1);
});
