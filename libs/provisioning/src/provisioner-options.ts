import type { SshContextualizerOptions } from '@app/contextualization';
import type { JetStreamSagaSourceOptions } from '@app/messaging';

/**
 * Everything a provisioner instance needs to know besides the pools. Times in ms. The inherited
 * JetStream fields set the sagas' ack wait and redelivery, and may name their streams and
 * durables: by default `namespace` (`tasks.nats.prefix`) or, without one, the event store's
 * installation id names them (see resolveJetStreamNames in libs/messaging).
 */
export interface ProvisionerOptions extends JetStreamSagaSourceOptions {
  /** This instance, recorded with the fill runs it claims. */
  instance: string;
  /** Timers: every instance runs them; the deciders make them harmless when they overlap. */
  fillIntervalMs: number;
  expireIntervalMs: number;
  reconcileIntervalMs: number;
  /** A node longer than this in a transitional state is failed by the reconciler. */
  timeouts: { provisioningMs: number; contextualizingMs: number; deprovisioningMs: number };
  /** After a fill run where every node failed, the pool waits base·2^(n−1), at most max. */
  fillBackoff: { baseMs: number; maxMs: number };
  /** A playbook still running after this long is killed (keep it below provisioningMs). */
  playbookTimeoutMs: number;
  ssh: SshContextualizerOptions;
  /** Sessions requested this long ago and still unfinished are repaired. */
  sessionRequestStaleMs: number;
}

export const DEFAULT_PROVISIONER_OPTIONS: ProvisionerOptions = {
  instance: 'provisioner',
  ackWaitMs: 30_000,
  maxDeliver: 8,
  retryDelayMs: 1000,
  maxRetryDelayMs: 60_000,
  fillIntervalMs: 300_000,
  expireIntervalMs: 300_000,
  reconcileIntervalMs: 60_000,
  timeouts: { provisioningMs: 3_600_000, contextualizingMs: 600_000, deprovisioningMs: 3_600_000 },
  fillBackoff: { baseMs: 10_000, maxMs: 600_000 },
  playbookTimeoutMs: 3_000_000,
  ssh: { timeoutMs: 60_000 },
  sessionRequestStaleMs: 60_000,
};

/** Back-off before the next fill of a pool whose last `streak` runs all failed. */
export function fillBackoffMs(streak: number, o: ProvisionerOptions['fillBackoff']): number {
  if (streak <= 0) return 0;
  return Math.min(o.maxMs, o.baseMs * 2 ** (streak - 1));
}
