import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { DuffyConfig } from '@app/config';
import { STREAM_PREFIX, streamId } from '@app/domain';
import type { EventStore } from '@app/event-store';
import {
  ActivateSessionHandler,
  CompensateSessionRequest,
  ReconcileSessionRequestsHandler,
  RetireSessionHandler,
  SessionIdempotencyKeys,
} from '@app/application';
import { SshContextualizer } from '@app/contextualization';
import { MechanismRegistry } from '@app/mechanisms';
import { DurableWorker, ensureStream, EventEnvelope, EventHandler } from '@app/messaging';
import { NodeSteps } from './node-steps';
import { DEFAULT_PROVISIONER_OPTIONS, ProvisionerOptions } from './provisioner-options';
import { ProvisionerView } from './provisioner-view';
import { RunRecorder } from './run-recorder';
import { NodeDeprovisioner } from './sagas/node-deprovisioner';
import { NodeReconciler } from './sagas/node-reconciler';
import { PoolFiller } from './sagas/pool-filler';
import { SessionContextualizer } from './sagas/session-contextualizer';
import { SessionExpirer } from './sagas/session-expirer';

/** Events after which a pool may be short of ready nodes. */
// Events that can leave a pool short, or give a reuse pool a machine to take (a registered or
// deprovisioned reusable node).
const FILL_TRIGGERS = new Set([
  'NodeRegistered',
  'NodeReserved',
  'NodeFailed',
  'NodeRetired',
  'NodeDeprovisioned',
  'NodeProvisioningFailed',
  'PoolFillFinished',
]);

const systemClock = { now: () => new Date() };

/**
 * One provisioner instance: the sagas as durable JetStream consumers (instances with the same
 * durable names share the work) plus the fill, expire and reconcile timers.
 */
export class Provisioner {
  readonly view: ProvisionerView;
  readonly filler: PoolFiller;
  readonly expirer: SessionExpirer;
  readonly reconciler: NodeReconciler;
  private readonly contextualizer: SessionContextualizer;
  private readonly deprovisioner: NodeDeprovisioner;
  private readonly workers: DurableWorker[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  readonly options: ProvisionerOptions;

  constructor(
    private readonly store: EventStore,
    private readonly nc: NatsConnection,
    config: DuffyConfig,
    options: Partial<ProvisionerOptions> = {},
    private readonly log: (message: string) => void = () => undefined,
  ) {
    const o = (this.options = { ...DEFAULT_PROVISIONER_OPTIONS, ...options });
    this.view = new ProvisionerView(store);
    const mechanisms = new MechanismRegistry({ ansible: { timeoutMs: o.playbookTimeoutMs } });
    const recorder = new RunRecorder(store, o.instance);
    const ssh = new SshContextualizer(o.ssh);
    const compensate = new CompensateSessionRequest(store);
    this.filler = new PoolFiller({
      store,
      view: this.view,
      pools: () => config.filledPools(),
      mechanisms,
      recorder,
      options: o,
      log,
    });
    this.contextualizer = new SessionContextualizer(
      store,
      ssh,
      new ActivateSessionHandler(store, systemClock),
      compensate,
    );
    this.deprovisioner = new NodeDeprovisioner(
      store,
      this.view,
      (name) => config.pool(name),
      mechanisms,
      ssh,
      recorder,
      log,
    );
    this.expirer = new SessionExpirer(this.view, new RetireSessionHandler(store, systemClock));
    this.reconciler = new NodeReconciler(
      this.view,
      new NodeSteps(store, 'system:reconciler'),
      new ReconcileSessionRequestsHandler(
        store,
        systemClock,
        compensate,
        new SessionIdempotencyKeys(store),
        { staleAfterMs: o.sessionRequestStaleMs },
      ),
      o.timeouts,
    );
  }

  async start(): Promise<void> {
    const o = this.options;
    const jsm = await jetstreamManager(this.nc);
    await ensureStream(jsm, {
      name: o.eventStream,
      subjects: [`${o.subjectRoot}.>`],
      duplicateWindowMs: 120_000,
    });
    await ensureStream(jsm, {
      name: o.deadLetterStream,
      subjects: [`${o.deadLetterRoot}.>`],
      duplicateWindowMs: 120_000,
    });
    this.view.start();
    await this.view.refresh();
    const root = o.subjectRoot;
    await this.consume('fill', `${root}.>`, 4, async (e) => {
      if (!FILL_TRIGGERS.has(e.type)) return;
      // The fill counts nodes in the view: it must include the event that triggered it.
      await this.view.catchUpTo(e.position);
      await this.filler.fillAll();
    });
    await this.consume('contextualize', `${root}.session.NodesAllocated`, 8, async (e) => {
      await this.contextualizer.contextualize(sessionIdOf(e));
    });
    await this.consume('retire', `${root}.session.SessionRetired`, 8, async (e) => {
      await this.deprovisioner.retireSession(sessionIdOf(e));
    });
    await this.consume('deprovision', `${root}.node.NodeDeprovisioningStarted`, 8, async (e) => {
      const data = e.data as { nodeId: number; sessionId: number | null };
      await this.deprovisioner.deprovisionNode(data.nodeId, data.sessionId);
    });
    this.every(o.fillIntervalMs, 'fill', () => this.filler.fillAll());
    this.every(o.expireIntervalMs, 'expire', () => this.expirer.expire());
    this.every(o.reconcileIntervalMs, 'reconcile', () => this.reconciler.reconcile());
  }

  async stop(): Promise<void> {
    for (const t of this.timers.splice(0)) clearInterval(t);
    this.filler.stop();
    await Promise.all(this.workers.splice(0).map((w) => w.stop()));
    await this.view.stop();
  }

  private async consume(
    saga: string,
    filterSubject: string,
    concurrency: number,
    handle: EventHandler,
  ) {
    const o = this.options;
    const durable = `${o.durablePrefix}-${saga}`;
    this.workers.push(
      await DurableWorker.start(
        this.nc,
        {
          stream: o.eventStream,
          durable,
          filterSubject,
          ackWaitMs: o.ackWaitMs,
          maxDeliver: o.maxDeliver,
          retryDelayMs: o.retryDelayMs,
          maxRetryDelayMs: o.maxRetryDelayMs,
          deadLetterSubject: `${o.deadLetterRoot}.${durable}`,
          concurrency,
        },
        async (e) => {
          try {
            await handle(e);
          } catch (error) {
            this.log(`${saga}: ${e.type} ${e.stream}: ${String(error)}`);
            throw error;
          }
        },
      ),
    );
  }

  /** Runs now, then every `ms`; a run still going when the next is due is not doubled. */
  private every(ms: number, name: string, work: () => Promise<unknown>): void {
    let running = false;
    const tick = () => {
      if (running) return;
      running = true;
      work()
        .catch((e) => this.log(`${name} timer: ${String(e)}`))
        .finally(() => (running = false));
    };
    tick();
    this.timers.push(setInterval(tick, ms));
  }
}

function sessionIdOf(e: EventEnvelope): number {
  const id = streamId(e.stream, STREAM_PREFIX.session);
  if (id === undefined) throw new Error(`not a session event: ${e.stream}`);
  return id;
}
