import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Collects the values of state gauges when Prometheus scrapes (read models, lag, deficit). */
export type GaugeSource = () => Promise<void>;

/** Seconds buckets from a fast SQL append to a slow contextualization. */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const APPEND_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const PLAYBOOK_BUCKETS = [1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600];

/**
 * Every metric Duffy exports (docs/operations.md), on one registry per process. Labels are
 * bounded sets (pool, state, route template, outcome code): never a tenant, hostname or id.
 */
export class DuffyMetrics {
  readonly registry = new Registry();
  private readonly sources = new Map<string, GaugeSource>();

  readonly nodes = this.gauge('duffy_nodes', 'Active nodes by pool and state', ['pool', 'state']);
  readonly nodesMaintenance = this.gauge(
    'duffy_nodes_maintenance',
    'Active nodes an admin put in maintenance',
    ['pool'],
  );
  readonly sessionsActive = this.gauge('duffy_sessions_active', 'Active sessions', []);
  readonly sessionsQueued = this.gauge('duffy_sessions_queued', 'Sessions waiting in line', []);
  readonly tenantsByActiveSessions = this.gauge(
    'duffy_tenants_by_active_sessions',
    'Tenants whose count of active sessions is in the bucket',
    ['sessions'],
  );
  readonly sessionRequestSeconds = new Histogram({
    name: 'duffy_session_request_duration_seconds',
    help: 'POST /sessions until its answer, by outcome code',
    labelNames: ['code'],
    buckets: REQUEST_BUCKETS,
    registers: [this.registry],
  });
  readonly httpRequests = new Counter({
    name: 'duffy_http_requests_total',
    help: 'HTTP requests answered, by route template',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  readonly httpRequestSeconds = new Histogram({
    name: 'duffy_http_request_duration_seconds',
    help: 'HTTP request duration, by route template',
    labelNames: ['method', 'route', 'status'],
    buckets: REQUEST_BUCKETS,
    registers: [this.registry],
  });
  readonly eventStoreAppendSeconds = new Histogram({
    name: 'duffy_event_store_append_duration_seconds',
    help: 'Event store appends (single stream or atomic multi-stream)',
    labelNames: ['kind'],
    buckets: APPEND_BUCKETS,
    registers: [this.registry],
  });
  readonly eventStoreAppendConflicts = new Counter({
    name: 'duffy_event_store_append_conflicts_total',
    help: 'Appends refused with WrongExpectedVersion',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  readonly projectionLagEvents = this.gauge(
    'duffy_projection_lag_events',
    'Events in the log the projection has not applied',
    ['projection'],
  );
  readonly projectionLagSeconds = this.gauge(
    'duffy_projection_lag_seconds',
    'Age of the log head the projection has not reached (0 when caught up)',
    ['projection'],
  );
  readonly relayLagEvents = this.gauge(
    'duffy_relay_lag_events',
    'Events in the log the relay has not yet published to JetStream',
    [],
  );
  readonly sagaInFlight = this.gauge('duffy_saga_in_flight', 'Saga events being handled', ['saga']);
  readonly sagaRetries = new Counter({
    name: 'duffy_saga_retries_total',
    help: 'Saga events handed back for another attempt',
    labelNames: ['saga'],
    registers: [this.registry],
  });
  readonly sagaDeadLetters = new Counter({
    name: 'duffy_saga_dead_letters_total',
    help: 'Saga events given up on after their last attempt',
    labelNames: ['saga'],
    registers: [this.registry],
  });
  readonly playbookRuns = new Counter({
    name: 'duffy_playbook_runs_total',
    help: 'Provision/deprovision runs by outcome',
    labelNames: ['pool', 'kind', 'status'],
    registers: [this.registry],
  });
  readonly playbookRunSeconds = new Histogram({
    name: 'duffy_playbook_run_duration_seconds',
    help: 'Provision/deprovision run duration',
    labelNames: ['pool', 'kind'],
    buckets: PLAYBOOK_BUCKETS,
    registers: [this.registry],
  });
  readonly poolFillLevel = this.gauge('duffy_pool_fill_level', 'Configured fill level', ['pool']);
  readonly poolFillDeficit = this.gauge(
    'duffy_pool_fill_deficit',
    'Fill level minus ready and provisioning nodes (never below 0)',
    ['pool'],
  );

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Registers (or replaces, by name) what fills state gauges on scrape. Returns its removal, for
   * a component that stops while the process goes on (tests, `duffy dev` restarts).
   */
  addGaugeSource(name: string, source: GaugeSource): () => void {
    this.sources.set(name, source);
    return () => {
      if (this.sources.get(name) === source) this.sources.delete(name);
    };
  }

  /** The text exposition; a failing source leaves its gauges as they were, never fails a scrape. */
  async scrape(): Promise<string> {
    await Promise.all(
      [...this.sources.values()].map((collect) => collect().catch(() => undefined)),
    );
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private gauge<L extends string>(name: string, help: string, labelNames: L[]): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }
}

let processMetrics: DuffyMetrics | undefined;

/** The process's one DuffyMetrics (in `duffy dev` every service shares it). */
export function duffyMetrics(): DuffyMetrics {
  processMetrics ??= new DuffyMetrics();
  return processMetrics;
}
