import { join } from 'node:path';
import type { ProvisionerOptions } from '@app/provisioning';
import { BUILT_ENTRIES, ROOT } from '../../support/built-output';
import type { ServiceSpec } from './supervised-process';

/** Loopback ports of a run, away from the defaults the test suites and `duffy dev` use. */
export const CHAOS_PORTS = {
  apis: [18081, 18082],
  metaclient: 19090,
  projectorStatus: [19464, 19474],
  provisionerStatus: [19465, 19475],
  metaclientStatus: 19466,
  natsClient: [14222, 14223, 14224],
  natsCluster: [14322, 14323, 14324],
};

/**
 * The provisioners' timers and timeouts: short, so a 3-minute run sees every repair happen, yet
 * above what a playbook, a PostgreSQL restart and a redelivery take together on a loaded 2-core
 * machine (a shorter one fails nodes that were only slow).
 */
export const CHAOS_TIMEOUTS = {
  provisioningMs: 45_000,
  contextualizingMs: 30_000,
  deprovisioningMs: 45_000,
};

export interface TopologyInput {
  configDir: string;
  ssh: { port: number; identityFile: string; authorizedKeys: string };
}

const entry = (name: keyof typeof BUILT_ENTRIES) => join(ROOT, BUILT_ENTRIES[name].main);

/** 2 api, 2 projector, 2 provisioner and 1 metaclient process over one configuration. */
export function chaosTopology(t: TopologyInput): ServiceSpec[] {
  const config = ['-c', t.configDir];
  const status = (port: number) => `http://127.0.0.1:${port}`;
  const provisionerOptions = (instance: string): Partial<ProvisionerOptions> => ({
    instance,
    ackWaitMs: 10_000,
    maxDeliver: 20,
    retryDelayMs: 500,
    maxRetryDelayMs: 5000,
    reconcileIntervalMs: 3000,
    timeouts: CHAOS_TIMEOUTS,
    fillBackoff: { baseMs: 2000, maxMs: 10_000 },
    playbookTimeoutMs: 30_000,
    sessionRequestStaleMs: 15_000,
    ssh: { ...t.ssh, timeoutMs: 10_000 },
  });
  const apis = CHAOS_PORTS.apis.map((port, i): ServiceSpec => ({
    name: `api-${i + 1}`,
    kind: 'api',
    argv: [entry('api'), ...config],
    env: { DUFFY_APP__PORT: String(port), DUFFY_LOG_FORMAT: 'json' },
    healthUrl: `${status(port)}/api/v1/health`,
    readyUrl: `${status(port)}/api/v1/ready`,
  }));
  const projectors = CHAOS_PORTS.projectorStatus.map((port, i): ServiceSpec => ({
    name: `projector-${i + 1}`,
    kind: 'projector',
    argv: [entry('projector'), 'run', ...config],
    env: { DUFFY_OBSERVABILITY__STATUS__PROJECTOR_PORT: String(port), DUFFY_LOG_FORMAT: 'json' },
    healthUrl: `${status(port)}/health`,
    readyUrl: `${status(port)}/ready`,
  }));
  const provisioners = CHAOS_PORTS.provisionerStatus.map((port, i): ServiceSpec => ({
    name: `provisioner-${i + 1}`,
    kind: 'provisioner',
    argv: [entry('provisioner'), ...config],
    env: {
      DUFFY_OBSERVABILITY__STATUS__PROVISIONER_PORT: String(port),
      DUFFY_PROVISIONER_OPTIONS: JSON.stringify(provisionerOptions(`provisioner-${i + 1}`)),
      DUFFY_LOG_FORMAT: 'json',
    },
    healthUrl: `${status(port)}/health`,
    readyUrl: `${status(port)}/ready`,
  }));
  const metaclient: ServiceSpec = {
    name: 'metaclient-1',
    kind: 'metaclient',
    argv: [entry('metaclient'), ...config],
    env: {
      DUFFY_OBSERVABILITY__STATUS__METACLIENT_PORT: String(CHAOS_PORTS.metaclientStatus),
      DUFFY_LOG_FORMAT: 'json',
    },
    healthUrl: `${status(CHAOS_PORTS.metaclientStatus)}/health`,
    readyUrl: `${status(CHAOS_PORTS.metaclientStatus)}/ready`,
  };
  return [...apis, ...projectors, ...provisioners, metaclient];
}
