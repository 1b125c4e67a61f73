import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { TenantCredentials } from './tenant-credentials.port';

/** The authenticated tenant of a request. */
export type Caller = TenantCredentials;

/** Admins and auditors read every tenant's sessions, nodes, runs and history. */
export const readsEverything = (caller: Caller): boolean => caller.isAdmin || caller.isAuditor;

export interface RequestWithCaller {
  method?: string;
  headers: Record<string, string | string[] | undefined>;
  socket?: { remoteAddress?: string };
  caller?: Caller;
}

export const CallerParam = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  const caller = ctx.switchToHttp().getRequest<RequestWithCaller>().caller;
  if (!caller) throw new Error('route without AuthGuard asked for its caller');
  return caller;
});
