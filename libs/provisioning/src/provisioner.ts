import type { NatsConnection } from '@nats-io/transport-node';
import { domainDefaults, type DuffyConfig } from '@app/config';
import { STREAM_PREFIX, streamId } from '@app/domain';
import type { EventStore } from '@app/event-store';
import {
  type Application,
  type Clock,
  CompensateSessionRequest,
  createApplication,
  StaticPoolCatalog,
  SystemClock,
} from '@app/application';
import { SshContextualizer, type NodeContextualizer } from '@app/contextualization';
import { MechanismRegistry } from '@app/mechanisms';
import { duffyMetrics, withCorrelation } from '@app/observability';
import { fillGauges } from './fill-gauges';
import {
  EventEnvelope,
  JetStreamSagaSource,
  RunningSaga,
  SagaEventSource,
  SagaHandler,
  SagaSubscription,
} from '@app/messaging';
import { correlationIdOf, logFieldsOf } from './correlation-of-event';
import { NodeSteps } from './node-steps';
import { DEFAULT_PROVISIONER_OPTIONS, ProvisionerOptions } from './provisioner-options';
import { ProvisionerView } from './provisioner-view';
import { purgeStaleNodesOnce } from './purge-stale-nodes-schedule';
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
  // A request waiting in line raises its pools' targets.
  'SessionQueued',
  // An admin took a ready node out of service, or gave one back.
  'NodeMaintenanceStarted',
  'NodeMaintenanceEnded',
  // An admin's reprovision tears a ready node down.
  'NodeDeprovisioningStarted',
]);

/** Sagas doing pool-wide work, which no single request caused. */
const POOL_WORK = new Set(['fill']);

/** Builds the sagas' event source once the provisioner's options are settled. */
export type SagaSourceFactory = (
  options: ProvisionerOptions,
  store: EventStore,
  log: (message: string) => void,
) => SagaEventSource;

/**
 * Sagas as durable JetStream consumers (the separate-process deployments), named after the
 * event store (or `options.namespace`), acting only on events the store holds.
 */
export function natsSagas(nc: NatsConnection): SagaSourceFactory {
  return (o, store, log) => new JetStreamSagaSource(nc, store, o, log);
}

/**
 * One provisioner instance: the sagas, fed by a durable event source (JetStream consumers
 * shared by instances with the same durable names, or the event store itself in `duffy dev`),
 * plus the fill, expire and reconcile timers.
 */
export class Provisioner {
  readonly view: ProvisionerView;
  readonly options: ProvisionerOptions;
  private sagaParts?: SagaParts;
  private app?: Application;
  private readonly sagas: RunningSaga[] = [];
  private readonly source: SagaEventSource;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly timerRuns = new Set<Promise<void>>();
  private readonly contextualizer: NodeContextualizer;
  private removeFillGauges = (): void => undefined;

  constructor(
    private readonly store: EventStore,
    sagaSource: SagaSourceFactory,
    private readonly config: DuffyConfig,
    options: Partial<ProvisionerOptions> = {},
    private readonly log: (message: string) => void = () => undefined,
    /** Puts tenant keys on nodes; over ssh unless told otherwise (duffy dev's demo nodes). */
    contextualizer?: NodeContextualizer,
    private readonly clock: Clock = new SystemClock(),
  ) {
    const o = (this.options = { ...DEFAULT_PROVISIONER_OPTIONS, ...options });
    this.source = sagaSource(o, store, log);
    this.view = new ProvisionerView(store, clock);
    this.contextualizer = contextualizer ?? new SshContextualizer(o.ssh);
  }

  get filler(): PoolFiller {
    return this.parts().filler;
  }

  get expirer(): SessionExpirer {
    return this.parts().expirer;
  }

  get reconciler(): NodeReconciler {
    return this.parts().reconciler;
  }

  /**
   * The sagas write only through the application's CommandBus, which exists once start() has
   * created the application context.
   */
  private async createSagas(): Promise<SagaParts> {
    const { store, config, log, clock } = this;
    const o = this.options;
    const app = (this.app = await createApplication({
      store,
      clock,
      // Only tenant and session-request commands read them; the provisioner runs neither.
      defaults: domainDefaults(config),
      pools: StaticPoolCatalog.of(config.concretePools()),
      reconciler: { staleAfterMs: o.sessionRequestStaleMs },
    }));
    const { bus } = app;
    const mechanisms = new MechanismRegistry({ ansible: { timeoutMs: o.playbookTimeoutMs } });
    const recorder = new RunRecorder(bus, clock, o.instance);
    const compensate = new CompensateSessionRequest(store);
    const pool = (name: string) => config.pool(name);
    return {
      filler: new PoolFiller({
        store,
        bus,
        clock,
        view: this.view,
        pools: () => config.filledPools(),
        mechanisms,
        recorder,
        options: o,
        log,
      }),
      sessions: new SessionContextualizer(store, bus, this.contextualizer, compensate, pool, clock),
      deprovisioner: new NodeDeprovisioner(
        store,
        bus,
        this.view,
        pool,
        mechanisms,
        this.contextualizer,
        recorder,
        log,
      ),
      expirer: new SessionExpirer(this.view, bus, clock),
      reconciler: new NodeReconciler(
        this.view,
        new NodeSteps(bus, 'system:reconciler'),
        bus,
        o.timeouts,
        clock,
      ),
    };
  }

  private parts(): SagaParts {
    if (!this.sagaParts) throw new Error('the provisioner has not been started');
    return this.sagaParts;
  }

  async start(): Promise<void> {
    const o = this.options;
    // After a stop() the old context is closed: a new start gets new sagas.
    if (!this.app) this.sagaParts = await this.createSagas();
    const { filler, sessions, deprovisioner } = this.parts();
    await this.source.prepare();
    this.view.start();
    await this.view.refresh();
    const metrics = duffyMetrics();
    const gauges = fillGauges(() => this.config.filledPools(), this.view, metrics);
    this.removeFillGauges = metrics.addGaugeSource('provisioner:fill', gauges);
    const fill = { saga: 'fill', types: [...FILL_TRIGGERS], concurrency: 4 };
    await this.consume(fill, async (e) => {
      // The fill counts nodes in the view: it must include the event that triggered it.
      await this.view.catchUpTo(e.position);
      await filler.fillAll();
    });
    const allocated = { category: 'session', types: ['NodesAllocated'], concurrency: 8 };
    await this.consume({ saga: 'contextualize', ...allocated }, async (e) => {
      await sessions.contextualize(sessionIdOf(e));
    });
    const retired = { category: 'session', types: ['SessionRetired'], concurrency: 8 };
    await this.consume({ saga: 'retire', ...retired }, async (e) => {
      await deprovisioner.retireSession(sessionIdOf(e));
    });
    const deprovisioning = { category: 'node', types: ['NodeDeprovisioningStarted'] };
    await this.consume({ saga: 'deprovision', ...deprovisioning, concurrency: 8 }, async (e) => {
      const data = e.data as { nodeId: number; sessionId: number | null };
      await deprovisioner.deprovisionNode(data.nodeId, data.sessionId);
    });
    this.every(o.fillIntervalMs, 'fill', () => filler.fillAll());
    this.every(o.expireIntervalMs, 'expire', () => this.expirer.expire());
    this.every(o.reconcileIntervalMs, 'reconcile', () => this.reconciler.reconcile());
    const purge = this.config.tasks.purgeStaleNodes;
    const bus = this.app?.bus;
    if (purge && bus) {
      this.every(purge.intervalMs, 'purge-stale-nodes', () =>
        purgeStaleNodesOnce(bus, purge.olderThanMs, this.log),
      );
    }
  }

  async stop(): Promise<void> {
    for (const t of this.timers.splice(0)) clearInterval(t);
    this.removeFillGauges();
    this.sagaParts?.filler.stop();
    await Promise.all(this.sagas.splice(0).map((w) => w.stop()));
    // A timer run still going would use the store after the caller closes it.
    await Promise.all(this.timerRuns);
    await this.view.stop();
    await this.app?.close();
    this.app = undefined;
  }

  private async consume(subscription: SagaSubscription, handle: SagaHandler): Promise<void> {
    const handleLogged = async (e: EventEnvelope) => {
      try {
        await handle(e);
      } catch (error) {
        this.log(`${subscription.saga}: ${e.type} ${e.stream}: ${String(error)}`);
        throw error;
      }
    };
    this.sagas.push(
      await this.source.consume(subscription, (e) =>
        // What the handler appends, logs and runs carries the id of the event's request. Not
        // the fill's: it serves the whole pool, and one tenant's request id must not mark
        // machines another tenant gets later.
        POOL_WORK.has(subscription.saga)
          ? handleLogged(e)
          : withCorrelation(correlationIdOf(e), () => handleLogged(e), logFieldsOf(e)),
      ),
    );
  }

  /** Runs now, then every `ms`; a run still going when the next is due is not doubled. */
  private every(ms: number, name: string, work: () => Promise<unknown>): void {
    let running: Promise<void> | undefined;
    const tick = () => {
      if (running) return;
      running = work()
        .then(() => undefined)
        .catch((e) => this.log(`${name} timer: ${String(e)}`))
        .finally(() => {
          this.timerRuns.delete(running as Promise<void>);
          running = undefined;
        });
      this.timerRuns.add(running);
    };
    tick();
    this.timers.push(setInterval(tick, ms));
  }
}

interface SagaParts {
  filler: PoolFiller;
  sessions: SessionContextualizer;
  deprovisioner: NodeDeprovisioner;
  expirer: SessionExpirer;
  reconciler: NodeReconciler;
}

function sessionIdOf(e: EventEnvelope): number {
  const id = streamId(e.stream, STREAM_PREFIX.session);
  if (id === undefined) throw new Error(`not a session event: ${e.stream}`);
  return id;
}
