import { DynamicModule, Module, Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { Defaults } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { APPLICATION_SERVICES, COMMAND_HANDLERS } from './command-handlers';
import { SystemClock, type Clock } from './ports/clock';
import type { PoolCatalog } from './ports/pool-catalog';
import type { ReadyNodeCandidates } from './ports/ready-node-candidates';
import { EventStoreTenantDirectory, type TenantDirectory } from './ports/tenant-directory';
import { ReadyNodesProjection } from './projections/ready-nodes.projection';
import { SessionQueueProjection } from './projections/session-queue.projection';
import type { SessionQueue } from './ports/session-queue';
import { QueueServer } from './serve-queued-session/queue-server';
import type { ReconcilerOptions } from './reconcile-session-requests/reconcile-session-requests.command';
import {
  API_KEY_HASH_COST,
  CLOCK,
  DOMAIN_DEFAULTS,
  EVENT_STORE,
  POOL_CATALOG,
  READY_NODE_CANDIDATES,
  RECONCILER_OPTIONS,
  SESSION_QUEUE,
  TENANT_DIRECTORY,
} from './tokens';

/** What the use cases need from the process that runs them. */
export interface ApplicationDeps {
  store: EventStore;
  /** SystemClock unless told. */
  clock?: Clock;
  /**
   * Quotas and lifetimes from config. A process that runs no tenant or session-request
   * command (the provisioner) may go without; such a command then fails loudly.
   */
  defaults?: Defaults;
  pools: PoolCatalog;
  /** Where allocation finds ready nodes; an in-process ReadyNodesProjection unless told. */
  readyNodes?: ReadyNodeCandidates;
  /** Tenant names by id; folding the log unless told (the api answers from read models). */
  tenants?: TenantDirectory;
  /** bcrypt cost of API keys: 12 unless told (tests lower it). */
  apiKeyHashCost?: number;
  reconciler?: ReconcilerOptions;
  /** The queued requests; an in-process SessionQueueProjection unless told. */
  queue?: SessionQueue;
  /** Serve queued requests in this process (the api; QueueServer). */
  serveQueue?: boolean;
}

/**
 * The application facade: every command handler behind Nest's CommandBus. Every process that
 * writes events (api, provisioner, `duffy admin`, `duffy dev`) dispatches through this module.
 */
@Module({})
export class ApplicationModule {
  static register(deps: ApplicationDeps): DynamicModule {
    const readyNodes: Provider[] = deps.readyNodes
      ? [{ provide: READY_NODE_CANDIDATES, useValue: deps.readyNodes }]
      : [
          ReadyNodesProjection,
          { provide: READY_NODE_CANDIDATES, useExisting: ReadyNodesProjection },
        ];
    const queue: Provider[] = deps.queue
      ? [{ provide: SESSION_QUEUE, useValue: deps.queue }]
      : [SessionQueueProjection, { provide: SESSION_QUEUE, useExisting: SessionQueueProjection }];
    const providers: Provider[] = [
      { provide: EVENT_STORE, useValue: deps.store },
      { provide: CLOCK, useValue: deps.clock ?? new SystemClock() },
      { provide: DOMAIN_DEFAULTS, useValue: deps.defaults ?? missingDefaults() },
      { provide: POOL_CATALOG, useValue: deps.pools },
      {
        provide: TENANT_DIRECTORY,
        useValue: deps.tenants ?? new EventStoreTenantDirectory(deps.store),
      },
      { provide: API_KEY_HASH_COST, useValue: deps.apiKeyHashCost ?? 12 },
      { provide: RECONCILER_OPTIONS, useValue: deps.reconciler ?? {} },
      ...readyNodes,
      ...queue,
      ...(deps.serveQueue ? [QueueServer] : []),
      ...COMMAND_HANDLERS,
      ...APPLICATION_SERVICES,
    ];
    return {
      module: ApplicationModule,
      imports: [CqrsModule.forRoot()],
      providers,
      exports: [
        EVENT_STORE,
        CLOCK,
        DOMAIN_DEFAULTS,
        POOL_CATALOG,
        READY_NODE_CANDIDATES,
        SESSION_QUEUE,
        ...(deps.serveQueue ? [QueueServer] : []),
        ...APPLICATION_SERVICES,
      ],
    };
  }
}

/** Stands in for absent defaults: reading any of them says what is missing. */
function missingDefaults(): Defaults {
  const missing = (): never => {
    throw new Error('defaults: required by this command (node-quota, session lifetimes)');
  };
  return {
    get nodeQuota() {
      return missing();
    },
    get sessionLifetimeMs() {
      return missing();
    },
    get sessionLifetimeMaxMs() {
      return missing();
    },
  };
}
