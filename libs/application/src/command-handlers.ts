import { ActivateSessionHandler } from './activate-session/activate-session.handler';
import { AdministerNodeHandler } from './administer-node/administer-node.handler';
import { NodeCommands } from './aggregate/node-commands';
import { ApiKeyHasher } from './api-key/api-key-hasher';
import { ChangeNodeHandler } from './change-node/change-node.handler';
import { CreateTenantHandler } from './create-tenant/create-tenant.handler';
import { ExtendSessionHandler } from './extend-session/extend-session.handler';
import { FinishPoolFillHandler } from './finish-pool-fill/finish-pool-fill.handler';
import { PlanPoolFillHandler } from './plan-pool-fill/plan-pool-fill.handler';
import { PurgeStaleNodesHandler } from './purge-stale-nodes/purge-stale-nodes.handler';
import { FinishRunHandler } from './record-run/finish-run.handler';
import { StartRunHandler } from './record-run/start-run.handler';
import { ReactivateTenantHandler } from './reactivate-tenant/reactivate-tenant.handler';
import { ReconcileSessionRequestsHandler } from './reconcile-session-requests/reconcile-session-requests.handler';
import { RegisterNodeHandler } from './register-node/register-node.handler';
import { AllocateInOneAppend } from './request-session/allocate-in-one-append';
import { AllocateStepwise } from './request-session/allocate-stepwise';
import { CompensateSessionRequest } from './request-session/compensate-session-request';
import { DeployUncontextualized } from './request-session/deploy-uncontextualized';
import { RequestSessionHandler } from './request-session/request-session.handler';
import { ReserveNodes } from './request-session/reserve-nodes';
import { SessionIdempotencyKeys } from './request-session/session-idempotency-keys';
import { RetireSessionHandler } from './retire-session/retire-session.handler';
import { RetireTenantHandler } from './retire-tenant/retire-tenant.handler';
import { UpdateTenantHandler } from './update-tenant/update-tenant.handler';
import { QueueAdmission } from './serve-queued-session/queue-admission';
import { QueueStandings } from './serve-queued-session/queue-standings';
import { ServeQueuedSessionHandler } from './serve-queued-session/serve-queued-session.handler';

/** Every @CommandHandler of this lib; register them next to CqrsModule. */
export const COMMAND_HANDLERS = [
  CreateTenantHandler,
  UpdateTenantHandler,
  RetireTenantHandler,
  ReactivateTenantHandler,
  RegisterNodeHandler,
  ChangeNodeHandler,
  AdministerNodeHandler,
  PurgeStaleNodesHandler,
  RequestSessionHandler,
  ServeQueuedSessionHandler,
  ExtendSessionHandler,
  RetireSessionHandler,
  ActivateSessionHandler,
  ReconcileSessionRequestsHandler,
  PlanPoolFillHandler,
  FinishPoolFillHandler,
  StartRunHandler,
  FinishRunHandler,
];

/**
 * Services the handlers depend on. The app provides the tokens: EVENT_STORE, CLOCK,
 * DOMAIN_DEFAULTS, POOL_CATALOG, READY_NODE_CANDIDATES (e.g. ReadyNodesProjection),
 * TENANT_DIRECTORY, and optionally API_KEY_HASH_COST and RECONCILER_OPTIONS
 * (ApplicationModule.register provides them all).
 */
export const APPLICATION_SERVICES = [
  ApiKeyHasher,
  NodeCommands,
  ReserveNodes,
  SessionIdempotencyKeys,
  CompensateSessionRequest,
  DeployUncontextualized,
  AllocateInOneAppend,
  AllocateStepwise,
  QueueAdmission,
  QueueStandings,
];
