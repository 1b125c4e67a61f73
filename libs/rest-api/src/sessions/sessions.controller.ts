import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiBasicAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { AS_OF } from '../audit/as-of-description';
import { AsOfReader } from '../audit/as-of-reader';
import { instantQuery } from '../audit/instant-query';
import { ExtendSessionCommand, RetireSessionCommand } from '@app/application';
import { sessionStream, tenantStream } from '@app/domain';
import type { Requester } from '@app/domain';
import { ReadModelQueries, SessionView } from '@app/read-models';
import { CallerParam, readsEverything } from '../auth/caller';
import type { Caller } from '../auth/caller';
import { IdPipe } from '../http/id.pipe';
import { Problem } from '../http/problem';
import { ReadYourWrites } from '../read-your-writes/read-your-writes';
import { checkExpiryRequest } from './expiry-request';
import { CreateSessionDto, UpdateSessionDto } from '@app/contracts';
import { SessionQueuePlaces } from './session-queue-places';
import { SessionRequests } from './session-requests';
import { waitRequest } from './wait-request';

/** What `create` needs of the response: its status and headers (the body is returned). */
interface CreatedResponse {
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
}

const forbidden = () => new Problem(403, 'forbidden', 'Forbidden');
const requester = (c: Caller): Requester => ({ name: c.name, isAdmin: c.isAdmin });

@ApiTags('sessions')
@ApiBasicAuth()
@Controller('sessions')
export class SessionsController {
  constructor(
    private readonly queries: ReadModelQueries,
    private readonly bus: CommandBus,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(SessionRequests) private readonly requests: SessionRequests,
    private readonly asOf: AsOfReader,
    private readonly places: SessionQueuePlaces,
  ) {}

  /** W-S1: credentials are required; a tenant sees its own active sessions, an admin all. */
  @Get()
  @ApiOperation({ summary: 'List active sessions' })
  async list(@CallerParam() caller: Caller) {
    const sessions = await this.queries.activeSessions(
      readsEverything(caller) ? undefined : caller.id,
    );
    return { action: 'get', sessions: await this.places.withPlaces(sessions) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Show a session (retired ones too)' })
  @ApiQuery({
    name: 'as_of',
    required: false,
    description: AS_OF,
  })
  async show(
    @CallerParam() caller: Caller,
    @Param('id', IdPipe) id: number,
    @Query('as_of') asOfQuery: unknown,
  ) {
    const asOf = instantQuery('as_of', asOfQuery);
    if (asOf !== undefined)
      return { action: 'get', session: await this.asOf.session(caller, id, asOf) };
    return { action: 'get', session: await this.places.withPlace(await this.visible(caller, id)) };
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Request a session: all the nodes, or none',
    description:
      'Answers once the nodes are contextualized (201). With `wait` (body) or `Prefer: wait=N` ' +
      'and not all nodes ready: 202, the session `queued` (its place in `queue`, `Location` ' +
      'names it) until its whole set is reserved at once or the deadline passes ' +
      '(`failed`, `deadline_passed`); follow it with GET /sessions/{id}/events. ' +
      'A repeated `Idempotency-Key` of the tenant returns the same session, queued or not.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'the same key (per tenant) returns the session the first request made',
  })
  @ApiHeader({
    name: 'Prefer',
    required: false,
    description: '`wait=<seconds>`: may wait in line that long (as `wait` in the body)',
  })
  @ApiCreatedResponse({ description: 'the session, its nodes contextualized' })
  @ApiAcceptedResponse({ description: 'the session, queued; `Location` is its URL' })
  async create(
    @CallerParam() caller: Caller,
    @Body() body: CreateSessionDto,
    @Res({ passthrough: true }) res: CreatedResponse,
    @Headers('idempotency-key') idempotencyKey?: string,
    @Headers('prefer') prefer?: string,
  ) {
    const wait = waitRequest(body.wait, prefer);
    const { session, queued } = await this.requests.request(
      caller,
      body,
      idempotencyKey ?? null,
      wait,
    );
    if (wait.preferred) res.setHeader('Preference-Applied', wait.preferred);
    if (queued) {
      res.status(202);
      res.setHeader('Location', `/api/v1/sessions/${session.id}`);
    }
    return { action: 'post', session };
  }

  /** compat §1.7 with W-C3: existence, owner and retirement are checked before the expiry. */
  @Put(':id')
  @ApiOperation({ summary: 'Extend (expires_at) or retire (active: false) a session' })
  async update(
    @CallerParam() caller: Caller,
    @Param('id', IdPipe) id: number,
    @Body() body: UpdateSessionDto,
  ) {
    const before = await this.visible(caller, id);
    if (!before.active) throw new Problem(422, 'session_retired', `session ${id} is retired`);
    if (typeof body.expires_at === 'string') {
      checkExpiryRequest(body.expires_at);
      await this.bus.execute(new ExtendSessionCommand(id, body.expires_at, requester(caller)));
    }
    if (body.active === false) {
      const by = caller.isAdmin && before.tenant.id !== caller.id ? 'admin' : 'tenant';
      await this.bus.execute(new RetireSessionCommand(id, by, requester(caller)));
    }
    await this.readYourWrites.afterWritesTo([sessionStream(id), tenantStream(before.tenant.name)]);
    return { action: 'put', session: await this.places.withPlace(await this.visible(caller, id)) };
  }

  /**
   * W-S3: a non-admin learns nothing about sessions that are not its own — unknown ids answer
   * 403 like other tenants' — while an admin gets 404 for unknown ids.
   */
  private async visible(caller: Caller, id: number): Promise<SessionView> {
    const session = await this.queries.session(id);
    if (!readsEverything(caller) && session?.tenant.id !== caller.id) throw forbidden();
    if (!session) throw new Problem(404, 'not_found', 'Not Found');
    return session;
  }
}
