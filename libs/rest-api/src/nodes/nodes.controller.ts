import {
  applyDecorators,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBasicAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AS_OF } from '../audit/as-of-description';
import { AsOfReader } from '../audit/as-of-reader';
import { instantQuery } from '../audit/instant-query';
import { AdministerNodeCommand, NodeAdminAction, RegisterNodeCommand } from '@app/application';
import { isDomainError, NODE_STATES, nodeStream } from '@app/domain';
import { ReadModelQueries } from '@app/read-models';
import { CallerParam, readsEverything } from '../auth/caller';
import type { Caller } from '../auth/caller';
import { IdPipe } from '../http/id.pipe';
import { Problem } from '../http/problem';
import { ReadYourWrites } from '../read-your-writes/read-your-writes';
import { CreateNodeDto, NodeActionDto, NodeCommentDto } from '@app/contracts';
import { parseNodeListQuery } from './node-list-query';

const forbidden = () => new Problem(403, 'forbidden', 'Forbidden');

/**
 * W-S2: nodes are read with credentials only; a tenant sees the nodes of its own active
 * sessions (their provisioning data names cloud resources), an admin every node.
 */
@ApiTags('nodes')
@ApiBasicAuth()
@Controller('nodes')
export class NodesController {
  constructor(
    private readonly queries: ReadModelQueries,
    private readonly bus: CommandBus,
    private readonly readYourWrites: ReadYourWrites,
    private readonly asOf: AsOfReader,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List active nodes (a tenant: those of its active sessions); filters combine',
  })
  @ApiQuery({ name: 'pool', required: false, description: 'only the nodes of this pool' })
  @ApiQuery({ name: 'state', required: false, enum: NODE_STATES })
  @ApiQuery({
    name: 'hostname',
    required: false,
    description: 'hostname pattern: `*` any characters, `?` one (e.g. `n1*.example.test`)',
  })
  @ApiQuery({
    name: 'maintenance',
    required: false,
    enum: ['true', 'false'],
    description: 'true: only nodes an admin put in maintenance; false: only nodes in service',
  })
  @ApiQuery({
    name: 'as_of',
    required: false,
    description: `${AS_OF} Needs pool; no other filter.`,
  })
  @ApiUnprocessableEntityResponse({ description: '`validation_error` naming the parameter' })
  async list(
    @CallerParam() caller: Caller,
    @Query('pool') pool: unknown,
    @Query('state') state: unknown,
    @Query('hostname') hostname: unknown,
    @Query('maintenance') maintenance: unknown,
    @Query('as_of') asOfQuery: unknown,
  ) {
    const filter = parseNodeListQuery({ pool, state, hostname, maintenance });
    const asOf = instantQuery('as_of', asOfQuery);
    if (asOf !== undefined) {
      if (filter.pool === undefined) {
        throw new Problem(422, 'validation_error', 'as_of: needs pool');
      }
      if (Object.keys(filter).length > 1) {
        throw new Problem(422, 'validation_error', 'as_of: only with pool, no other filter');
      }
      return { action: 'get', nodes: await this.asOf.nodesOfPool(caller, filter.pool, asOf) };
    }
    if (!readsEverything(caller)) filter.tenantId = caller.id;
    return { action: 'get', nodes: await this.queries.activeNodesMatching(filter) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Show a node (retired ones too)' })
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
    if (asOf !== undefined) return { action: 'get', node: await this.asOf.node(caller, id, asOf) };
    if (!readsEverything(caller) && !(await this.queries.nodeHeldByTenant(id, caller.id))) {
      throw forbidden();
    }
    const node = await this.queries.node(id);
    if (!node) throw new Problem(404, 'not_found', 'Not Found');
    return { action: 'get', node };
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Add an existing machine (admins); it starts unused' })
  async create(@CallerParam() caller: Caller, @Body() body: CreateNodeDto) {
    if (!caller.isAdmin) throw forbidden();
    // W-S4: the conflict is described, not the database error.
    if (await this.queries.activeNodeWithAddress(body.hostname, body.ipaddr)) {
      throw new Problem(
        409,
        'already_exists',
        `an active node already has hostname '${body.hostname}' or ipaddr '${body.ipaddr}'`,
      );
    }
    const state = await this.bus.execute(
      new RegisterNodeCommand(body.hostname, body.ipaddr, {
        comment: body.comment ?? null,
        pool: body.pool ?? null,
        reusable: body.reusable ?? true,
        data: body.data ?? {},
        actor: caller.name,
      }),
    );
    await this.readYourWrites.afterWritesTo([nodeStream(state.nodeId)]);
    const node = await this.queries.node(state.nodeId);
    if (!node) throw lagging(state.nodeId, 'added');
    return { action: 'post', node };
  }

  @Post(':id/fail')
  @AdminAction('Mark a node failed (admins): it is never allocated; purge-stale or reprovision')
  fail(
    @CallerParam() caller: Caller,
    @Param('id', IdPipe) id: number,
    @Body() body: NodeActionDto,
  ) {
    return this.administer(caller, id, 'fail', body.reason);
  }

  @Post(':id/maintain')
  @AdminAction(
    'Take a node out of allocation and fills, keeping the machine (admins); again: no change',
  )
  maintain(
    @CallerParam() caller: Caller,
    @Param('id', IdPipe) id: number,
    @Body() body: NodeActionDto,
  ) {
    return this.administer(caller, id, 'maintain', body.reason);
  }

  @Post(':id/release')
  @AdminAction('Give a node in maintenance back to service (admins); one in service: no change')
  release(
    @CallerParam() caller: Caller,
    @Param('id', IdPipe) id: number,
    @Body() body: NodeActionDto,
  ) {
    return this.administer(caller, id, 'release', body.reason);
  }

  @Post(':id/retire')
  @AdminAction('Decommission a node (admins): from unused, ready, failed or done')
  retire(
    @CallerParam() caller: Caller,
    @Param('id', IdPipe) id: number,
    @Body() body: NodeActionDto,
  ) {
    return this.administer(caller, id, 'retire', body.reason);
  }

  @Post(':id/comment')
  @AdminAction("Keep a comment in the node's history (admins); the latest is its `comment`")
  comment(
    @CallerParam() caller: Caller,
    @Param('id', IdPipe) id: number,
    @Body() body: NodeCommentDto,
  ) {
    return this.administer(caller, id, 'comment', body.comment);
  }

  @Post(':id/reprovision')
  @AdminAction(
    "Tear a ready or failed node down through its pool's deprovisioning (admins); the fill replaces it",
  )
  reprovision(
    @CallerParam() caller: Caller,
    @Param('id', IdPipe) id: number,
    @Body() body: NodeActionDto,
  ) {
    return this.administer(caller, id, 'reprovision', body.reason);
  }

  /** Every action: admins only, the decider's rules, the node as the read models show it after. */
  private async administer(
    caller: Caller,
    id: number,
    action: NodeAdminAction,
    text: string | undefined,
  ) {
    if (!caller.isAdmin) throw forbidden();
    // IdPipe passes ids beyond the integer range as -1: they name no node.
    if (id < 1) throw new Problem(404, 'not_found', 'node not found');
    try {
      await this.bus.execute(new AdministerNodeCommand(id, action, text ?? '', caller.name));
    } catch (error) {
      throw asConflict(error);
    }
    await this.readYourWrites.afterWritesTo([nodeStream(id)]);
    const node = await this.queries.node(id);
    if (!node) throw lagging(id);
    return { action: 'post', node };
  }
}

/** The OpenAPI of one admin action: path id, answers and refusals. */
function AdminAction(summary: string) {
  return applyDecorators(
    HttpCode(200),
    ApiOperation({ summary }),
    ApiParam({ name: 'id', type: Number }),
    ApiOkResponse({ description: "`{action: 'post', node}`: the node after the action" }),
    ApiForbiddenResponse({ description: '`forbidden`: not an admin' }),
    ApiNotFoundResponse({ description: '`not_found`: no such node' }),
    ApiConflictResponse({ description: "`invalid_transition`: not from the node's state" }),
    ApiUnprocessableEntityResponse({ description: '`validation_error`: the body or the id' }),
  );
}

/** A refusal of the node's state is a conflict with it here (the domain's default is 422). */
function asConflict(error: unknown): unknown {
  if (isDomainError(error) && error.code === 'invalid_transition') {
    return new Problem(409, 'invalid_transition', error.detail);
  }
  return error;
}

function lagging(id: number, done = 'changed'): Problem {
  return new Problem(503, 'projection_lag', `node ${id} was ${done}; read models lag behind`, {
    'Retry-After': '1',
  });
}
