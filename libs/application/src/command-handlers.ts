import { ActivateSessionHandler } from './activate-session/activate-session.handler';
import { NodeCommands } from './aggregate/node-commands';
import { ApiKeyHasher } from './api-key/api-key-hasher';
import { CompleteNodeDeprovisioningHandler } from './complete-node-deprovisioning/complete-node-deprovisioning.handler';
import { CompleteNodeProvisioningHandler } from './complete-node-provisioning/complete-node-provisioning.handler';
import { CreateTenantHandler } from './create-tenant/create-tenant.handler';
import { ExtendSessionHandler } from './extend-session/extend-session.handler';
import { FailNodeHandler } from './fail-node/fail-node.handler';
import { FailNodeProvisioningHandler } from './fail-node-provisioning/fail-node-provisioning.handler';
import { MarkNodeContextualizedHandler } from './mark-node-contextualized/mark-node-contextualized.handler';
import { ReactivateTenantHandler } from './reactivate-tenant/reactivate-tenant.handler';
import { ReconcileSessionRequestsHandler } from './reconcile-session-requests/reconcile-session-requests.handler';
import { RegisterNodeHandler } from './register-node/register-node.handler';
import { ReleaseNodeHandler } from './release-node/release-node.handler';
import { CompensateSessionRequest } from './request-session/compensate-session-request';
import { RequestSessionHandler } from './request-session/request-session.handler';
import { ReserveNodes } from './request-session/reserve-nodes';
import { SessionIdempotencyKeys } from './request-session/session-idempotency-keys';
import { RetireNodeHandler } from './retire-node/retire-node.handler';
import { RetireSessionHandler } from './retire-session/retire-session.handler';
import { RetireTenantHandler } from './retire-tenant/retire-tenant.handler';
import { StartNodeDeprovisioningHandler } from './start-node-deprovisioning/start-node-deprovisioning.handler';
import { StartNodeProvisioningHandler } from './start-node-provisioning/start-node-provisioning.handler';
import { UpdateTenantHandler } from './update-tenant/update-tenant.handler';

/** Every @CommandHandler of this lib; register them next to CqrsModule. */
export const COMMAND_HANDLERS = [
  CreateTenantHandler,
  UpdateTenantHandler,
  RetireTenantHandler,
  ReactivateTenantHandler,
  RegisterNodeHandler,
  StartNodeProvisioningHandler,
  CompleteNodeProvisioningHandler,
  FailNodeProvisioningHandler,
  MarkNodeContextualizedHandler,
  ReleaseNodeHandler,
  StartNodeDeprovisioningHandler,
  CompleteNodeDeprovisioningHandler,
  FailNodeHandler,
  RetireNodeHandler,
  RequestSessionHandler,
  ExtendSessionHandler,
  RetireSessionHandler,
  ActivateSessionHandler,
  ReconcileSessionRequestsHandler,
];

/**
 * Services the handlers depend on. The app provides the tokens: EVENT_STORE, CLOCK,
 * DOMAIN_DEFAULTS, POOL_CATALOG, READY_NODE_CANDIDATES (e.g. ReadyNodesProjection), and
 * optionally API_KEY_HASH_COST and RECONCILER_OPTIONS.
 */
export const APPLICATION_SERVICES = [
  ApiKeyHasher,
  NodeCommands,
  ReserveNodes,
  SessionIdempotencyKeys,
  CompensateSessionRequest,
];
