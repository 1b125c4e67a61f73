import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ActivateSessionCommand,
  MarkNodeContextualizedCommand,
  RequestSessionCommand,
} from '@app/application';
import type { DuffyConfig } from '@app/config';
import { DomainError, DomainErrorCode, isDomainError, NodeSpec, SessionState } from '@app/domain';
import { WrongExpectedVersionError } from '@app/event-store';
import { ReadModelQueries, SessionView } from '@app/read-models';
import type { Caller } from '../auth/caller';
import { DUFFY_CONFIG } from '../config.token';
import { domainProblem, orProblem } from '../http/domain-problem';
import { Problem } from '../http/problem';
import { ProjectionWaiter } from '../read-your-writes/projection-waiter';
import { CreateSessionDto } from './session.dto';

const ALLOCATION_ATTEMPTS = 5;
const SETTLED = new Set(['active', 'failed', 'retired']);
const REFUSALS = new Set<string>([
  'quota_exceeded',
  'pool_exhausted',
  'unknown_pool',
  'tenant_retired',
  'invalid_request',
  'not_owner',
  'not_found',
] satisfies DomainErrorCode[]);

/**
 * POST /sessions (compat §1.6): picks the owner, allocates through the command bus, then waits
 * (app.session-wait) until the read model shows the session active or failed — whoever
 * activates it: this api for pools with `contextualize: false`, the provisioner for the others.
 */
@Injectable()
export class SessionRequests {
  constructor(
    @Inject(DUFFY_CONFIG) private readonly config: DuffyConfig,
    private readonly queries: ReadModelQueries,
    private readonly bus: CommandBus,
    private readonly waiter: ProjectionWaiter,
  ) {}

  async request(
    caller: Caller,
    body: CreateSessionDto,
    idempotencyKey: string | null,
  ): Promise<SessionView> {
    const owner = await this.owner(caller, body.tenant_id ?? null);
    const specs = body.nodes_specs.map((s) => ({ pool: s.pool, quantity: s.quantity }));
    const state = await this.allocate(owner, specs, caller, idempotencyKey);
    if (state.status === 'failed' && state.failure) throw failureProblem(state.failure);
    await this.activateUncontextualized(state);
    const id = state.sessionId;
    await this.waiter.until(async () => {
      const progress = await this.queries.sessionProgress(id);
      return progress !== undefined && SETTLED.has(progress.status);
    }, this.config.app.sessionWaitMs);
    const progress = await this.queries.sessionProgress(id);
    if (progress?.status === 'failed') {
      throw failureProblem({
        reason: progress.failureReason ?? 'failed',
        detail: progress.failureDetail ?? '',
      });
    }
    const session = await this.queries.session(id);
    if (!session) {
      throw new Problem(
        503,
        'projection_lag',
        `session ${id} was created; read models lag behind`,
        {
          'Retry-After': '1',
        },
      );
    }
    return session;
  }

  /**
   * A request that lost too many optimistic-concurrency races (many requests of one tenant at
   * once) has been compensated and failed; asking again is safe, as the original retried.
   */
  private async allocate(
    owner: string,
    specs: NodeSpec[],
    caller: Caller,
    idempotencyKey: string | null,
  ): Promise<SessionState> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await orProblem(
          this.bus.execute(
            new RequestSessionCommand(owner, specs, {
              idempotencyKey,
              requester: { name: caller.name, isAdmin: caller.isAdmin },
            }),
          ),
        );
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError) || attempt >= ALLOCATION_ATTEMPTS) {
          throw error;
        }
        await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
      }
    }
  }

  /** compat §1.6 step 2, W-S3: non-admins may only ask for themselves. */
  private async owner(caller: Caller, tenantId: number | null): Promise<string> {
    if (tenantId === null || tenantId === caller.id) return caller.name;
    if (!caller.isAdmin) {
      throw new Problem(403, 'not_owner', "can't create session for other tenant");
    }
    const tenant = await this.queries.tenant(tenantId);
    if (!tenant) {
      throw new Problem(422, 'not_found', `can't find tenant with id ${tenantId}`);
    }
    if (!tenant.active) {
      throw new Problem(422, 'tenant_retired', `tenant '${tenant.name}' isn't active`);
    }
    return tenant.name;
  }

  /** Nodes of pools configured with `contextualize: false` need no key: deployed at once. */
  private async activateUncontextualized(state: SessionState): Promise<void> {
    if (state.status !== 'allocated') return;
    const plain = state.nodes.filter((n) => this.config.pool(n.pool)?.dict.contextualize === false);
    for (const node of plain) {
      await this.ignoringRaces(
        this.bus.execute(new MarkNodeContextualizedCommand(node.nodeId, state.sessionId, 'api')),
      );
    }
    if (plain.length === state.nodes.length) {
      await this.ignoringRaces(
        this.bus.execute(new ActivateSessionCommand(state.sessionId, 'api')),
      );
    }
  }

  /** A concurrent retire or provisioner may have moved on; the wait reports the outcome. */
  private async ignoringRaces(work: Promise<unknown>): Promise<void> {
    try {
      await work;
    } catch (error) {
      if (!isDomainError(error)) throw error;
    }
  }
}

function failureProblem(failure: { reason: string; detail: string }): Problem {
  if (REFUSALS.has(failure.reason)) {
    return domainProblem(new DomainError(failure.reason as DomainErrorCode, failure.detail));
  }
  return new Problem(503, 'contextualization_failed', 'contextualization of nodes failed', {
    'Retry-After': '0',
  });
}
