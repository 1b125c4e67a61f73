import { effectiveSessionLifetimeMaxMs, effectiveSessionLifetimeMs } from '@app/domain';
import type { Defaults, SessionCommand, TenantState } from '@app/domain';
import type { AllocationRequest } from './allocation-request';

/** The session decider's RequestSession for a request, with the owner's effective lifetimes. */
export function requestSessionCommand(
  request: AllocationRequest,
  sessionId: number,
  owner: TenantState,
  defaults: Defaults,
  now: string,
): SessionCommand {
  return {
    type: 'RequestSession',
    data: {
      sessionId,
      tenant: request.tenant,
      specs: request.specs,
      idempotencyKey: request.idempotencyKey,
      requestedBy: request.requester.name,
      lifetimeMs: effectiveSessionLifetimeMs(owner, defaults),
      lifetimeMaxMs: effectiveSessionLifetimeMaxMs(owner, defaults),
      now,
    },
  };
}
