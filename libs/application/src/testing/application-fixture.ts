import { Defaults } from '@app/domain';
import { EventStore } from '@app/event-store';
import { ActivateSessionHandler } from '../activate-session/activate-session.handler';
import { NodeCommands } from '../aggregate/node-commands';
import { ApiKeyHasher } from '../api-key/api-key-hasher';
import { CreateTenantHandler } from '../create-tenant/create-tenant.handler';
import { ExtendSessionHandler } from '../extend-session/extend-session.handler';
import { StaticPoolCatalog } from '../ports/pool-catalog';
import { EventStoreTenantDirectory } from '../ports/tenant-directory';
import { ReadyNodesProjection } from '../projections/ready-nodes.projection';
import { SessionQueueProjection } from '../projections/session-queue.projection';
import { QueueAdmission } from '../serve-queued-session/queue-admission';
import { QueueStandings } from '../serve-queued-session/queue-standings';
import { ServeQueuedSessionHandler } from '../serve-queued-session/serve-queued-session.handler';
import { ReactivateTenantHandler } from '../reactivate-tenant/reactivate-tenant.handler';
import { ReconcileSessionRequestsHandler } from '../reconcile-session-requests/reconcile-session-requests.handler';
import { RegisterNodeHandler } from '../register-node/register-node.handler';
import { AllocateInOneAppend } from '../request-session/allocate-in-one-append';
import { AllocateStepwise } from '../request-session/allocate-stepwise';
import { CompensateSessionRequest } from '../request-session/compensate-session-request';
import { DeployUncontextualized } from '../request-session/deploy-uncontextualized';
import { RequestSessionHandler } from '../request-session/request-session.handler';
import { ReserveNodes } from '../request-session/reserve-nodes';
import { SessionIdempotencyKeys } from '../request-session/session-idempotency-keys';
import { RetireSessionHandler } from '../retire-session/retire-session.handler';
import { RetireTenantHandler } from '../retire-tenant/retire-tenant.handler';
import { UpdateTenantHandler } from '../update-tenant/update-tenant.handler';
import { FixedClock } from './fixed-clock';
import { NodeLifecycle } from './node-lifecycle';

export const TEST_DEFAULTS: Defaults = {
  nodeQuota: 5,
  sessionLifetimeMs: 6 * 3600e3,
  sessionLifetimeMaxMs: 12 * 3600e3,
};

/** Every handler wired by hand (no Nest), over one store, clock and pool list. */
export function wireApplication(
  store: EventStore,
  pools: string[],
  options: {
    defaults?: Defaults;
    clock?: FixedClock;
    bcryptCost?: number;
    /** Pools configured with `contextualize: false`. */
    uncontextualized?: string[];
  } = {},
) {
  const clock = options.clock ?? new FixedClock();
  const defaults = options.defaults ?? TEST_DEFAULTS;
  const catalog = new StaticPoolCatalog(pools, options.uncontextualized);
  const candidates = new ReadyNodesProjection(store);
  const hasher = new ApiKeyHasher(options.bcryptCost ?? 4);
  const nodes = new NodeCommands(store, clock);
  const keys = new SessionIdempotencyKeys(store);
  const compensate = new CompensateSessionRequest(store);
  const reserve = new ReserveNodes(store, candidates);
  const queue = new SessionQueueProjection(store);
  const admission = new QueueAdmission(queue, candidates);
  return {
    store,
    clock,
    candidates,
    createTenant: new CreateTenantHandler(store, clock, defaults, hasher),
    updateTenant: new UpdateTenantHandler(store, clock, defaults, hasher),
    retireTenant: new RetireTenantHandler(store, clock),
    reactivateTenant: new ReactivateTenantHandler(store, clock),
    registerNode: new RegisterNodeHandler(nodes),
    lifecycle: new NodeLifecycle(store, clock),
    requestSession: new RequestSessionHandler(
      store,
      catalog,
      new EventStoreTenantDirectory(store),
      new AllocateInOneAppend(store, clock, defaults, catalog, reserve, admission),
      new AllocateStepwise(
        store,
        clock,
        defaults,
        reserve,
        keys,
        compensate,
        new DeployUncontextualized(store, clock, catalog),
        admission,
      ),
    ),
    queue,
    serveQueued: new ServeQueuedSessionHandler(
      store,
      clock,
      catalog,
      reserve,
      compensate,
      new DeployUncontextualized(store, clock, catalog),
    ),
    standings: new QueueStandings(queue, candidates, clock, candidates),
    extendSession: new ExtendSessionHandler(store, clock, defaults),
    retireSession: new RetireSessionHandler(store, clock),
    activateSession: new ActivateSessionHandler(store, clock),
    reconcile: new ReconcileSessionRequestsHandler(store, clock, compensate, keys),
  };
}

export type WiredApplication = ReturnType<typeof wireApplication>;
