import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RequestSessionCommand } from '@app/application';
import type { DuffyConfig } from '@app/config';
import { DomainError, DomainErrorCode, sessionStream } from '@app/domain';
import { ReadModelQueries, SessionView } from '@app/read-models';
import type { Caller } from '../auth/caller';
import { DUFFY_CONFIG } from '../config.token';
import { domainProblem } from '../http/domain-problem';
import { Problem } from '../http/problem';
import { ProjectionWaiter } from '../read-your-writes/projection-waiter';
import { ReadYourWrites } from '../read-your-writes/read-your-writes';
import { CreateSessionDto } from '@app/contracts';
import { SessionQueuePlaces } from './session-queue-places';
import { timeSessionRequest } from '../operations/metrics/session-request-timing';
import type { WaitRequest } from './wait-request';

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
 * POST /sessions (compat §1.6): the request becomes a RequestSessionCommand (the handler owns
 * the use case: owner, retries, pools that need no contextualization), then this waits
 * (app.session-wait) until the read model shows the session active or failed.
 */
@Injectable()
export class SessionRequests {
  constructor(
    @Inject(DUFFY_CONFIG) private readonly config: DuffyConfig,
    private readonly queries: ReadModelQueries,
    private readonly bus: CommandBus,
    private readonly waiter: ProjectionWaiter,
    private readonly readYourWrites: ReadYourWrites,
    private readonly places: SessionQueuePlaces,
  ) {}

  /** The session, and whether it waits in line (202) rather than holds its nodes (201). */
  async request(
    caller: Caller,
    body: CreateSessionDto,
    idempotencyKey: string | null,
    wait: WaitRequest = {},
  ): Promise<{ session: SessionView; queued: boolean }> {
    return timeSessionRequest(() => this.answer(caller, body, idempotencyKey, wait));
  }

  private async answer(
    caller: Caller,
    body: CreateSessionDto,
    idempotencyKey: string | null,
    wait: WaitRequest,
  ): Promise<{ session: SessionView; queued: boolean }> {
    const specs = body.nodes_specs.map((s) => ({ pool: s.pool, quantity: s.quantity }));
    const state = await this.bus.execute(
      new RequestSessionCommand(caller.name, specs, {
        tenantId: body.tenant_id ?? null,
        idempotencyKey,
        requester: { name: caller.name, isAdmin: caller.isAdmin },
        waitMs: wait.waitMs,
      }),
    );
    // An idempotent replay of a request that failed answers as the request did.
    if (state.status === 'failed' && state.failure) throw failureProblem(state.failure);
    const id = state.sessionId;
    if (state.status === 'queued') {
      await this.readYourWrites.afterWritesTo([sessionStream(id)]);
      const queued = await this.queries.session(id);
      if (queued?.state === 'queued') {
        return { session: await this.places.withPlace(queued), queued: true };
      }
      // Served (or ended) between the append and this read: answer as it stands now.
    }
    return { session: await this.settled(id, state.status), queued: false };
  }

  private async settled(id: number, status: string): Promise<SessionView> {
    if (SETTLED.has(status)) {
      // Settled by the command itself (no node needs a key): the read models need only catch up.
      await this.readYourWrites.afterWritesTo([sessionStream(id)]);
    } else {
      await this.waiter.until(async () => {
        const progress = await this.queries.sessionProgress(id);
        return progress !== undefined && SETTLED.has(progress.status);
      }, this.config.app.sessionWaitMs);
      const progress = await this.queries.sessionProgress(id);
      if (progress?.status === 'failed') {
        const failed = await this.queries.session(id);
        throw failureProblem({
          reason: progress.failureReason ?? 'failed',
          detail: progress.failureDetail ?? '',
          facts: failed?.failure?.facts,
        });
      }
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
}

function failureProblem(failure: {
  reason: string;
  detail: string;
  facts?: Record<string, unknown>;
}): Problem {
  if (REFUSALS.has(failure.reason)) {
    const code = failure.reason as DomainErrorCode;
    return domainProblem(new DomainError(code, failure.detail, failure.facts));
  }
  if (failure.reason === 'deadline_passed') {
    // A replayed key of a request that waited in vain: it ended, the client asked for nothing wrong.
    return new Problem(422, 'deadline_passed', failure.detail, {}, failure.facts);
  }
  return new Problem(
    503,
    'contextualization_failed',
    'contextualization of nodes failed',
    { 'Retry-After': '0' },
    failure.facts,
  );
}
