import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBasicAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AS_OF } from '../audit/as-of-description';
import { AsOfReader } from '../audit/as-of-reader';
import { instantQuery } from '../audit/instant-query';
import { RegisterNodeCommand } from '@app/application';
import { nodeStream } from '@app/domain';
import { ReadModelQueries } from '@app/read-models';
import { CallerParam, readsEverything } from '../auth/caller';
import type { Caller } from '../auth/caller';
import { IdPipe } from '../http/id.pipe';
import { Problem } from '../http/problem';
import { ReadYourWrites } from '../read-your-writes/read-your-writes';
import { CreateNodeDto } from '@app/contracts';

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
  @ApiOperation({ summary: 'List active nodes' })
  @ApiQuery({ name: 'pool', required: false, description: 'only the nodes of this pool' })
  @ApiQuery({
    name: 'as_of',
    required: false,
    description: `${AS_OF} Needs pool.`,
  })
  async list(
    @CallerParam() caller: Caller,
    @Query('pool') pool: unknown,
    @Query('as_of') asOfQuery: unknown,
  ) {
    if (pool !== undefined && (typeof pool !== 'string' || pool === '')) {
      throw new Problem(422, 'validation_error', 'pool: must be given once, not empty');
    }
    const asOf = instantQuery('as_of', asOfQuery);
    if (asOf !== undefined) {
      if (pool === undefined) throw new Problem(422, 'validation_error', 'as_of: needs pool');
      return { action: 'get', nodes: await this.asOf.nodesOfPool(caller, pool, asOf) };
    }
    const nodes = readsEverything(caller)
      ? await this.queries.activeNodes()
      : await this.queries.activeNodesOfTenant(caller.id);
    return {
      action: 'get',
      nodes: pool === undefined ? nodes : nodes.filter((n) => n.pool === pool),
    };
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
    if (!node) throw lagging(state.nodeId);
    return { action: 'post', node };
  }
}

function lagging(id: number): Problem {
  return new Problem(503, 'projection_lag', `node ${id} was added; read models lag behind`, {
    'Retry-After': '1',
  });
}
