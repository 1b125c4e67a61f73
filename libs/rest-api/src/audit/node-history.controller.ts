import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBasicAuth,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { HistoryResultDto, NodeHoldingListResultDto } from '@app/contracts';
import { CallerParam } from '../auth/caller';
import type { Caller } from '../auth/caller';
import { Problem } from '../http/problem';
import { AuditReader } from './audit-reader';
import { idOrName } from './history-refs';
import { instantQuery, rangeQuery } from './instant-query';

const REF = 'a node id, or a hostname (every node that had it, merged)';
const WHO =
  'Admins and auditors: everything. A tenant: only the spans in which the node served one of ' +
  'its sessions (reservation to the end of cleanup); 403 when there are none.';

@ApiTags('audit')
@ApiBasicAuth()
@Controller('nodes')
export class NodeHistoryController {
  constructor(private readonly reader: AuditReader) {}

  @Get(':ref/history')
  @ApiOperation({ summary: "A node's events in order (not in the original)", description: WHO })
  @ApiParam({ name: 'ref', description: REF })
  @ApiQuery({ name: 'from', required: false, description: 'RFC 3339; events at or after' })
  @ApiQuery({ name: 'to', required: false, description: 'RFC 3339; events at or before' })
  @ApiOkResponse({ type: HistoryResultDto })
  async history(
    @CallerParam() caller: Caller,
    @Param('ref') ref: string,
    @Query('from') from: unknown,
    @Query('to') to: unknown,
  ): Promise<HistoryResultDto> {
    const range = rangeQuery(from, to);
    return {
      action: 'get',
      history: await this.reader.nodeHistory(caller, idOrName('ref', ref), range),
    };
  }

  @Get(':ref/holders')
  @ApiOperation({
    summary: 'Who had the node: the sessions that held it at an instant or within a range',
    description: `${WHO} Each with the tenant's ssh public key of that time.`,
  })
  @ApiParam({ name: 'ref', description: REF })
  @ApiQuery({ name: 'at', required: false, description: 'RFC 3339 instant (or from/to)' })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiOkResponse({ type: NodeHoldingListResultDto })
  async holders(
    @CallerParam() caller: Caller,
    @Param('ref') ref: string,
    @Query('at') at: unknown,
    @Query('from') from: unknown,
    @Query('to') to: unknown,
  ): Promise<NodeHoldingListResultDto> {
    const instant = instantQuery('at', at);
    if (instant !== undefined && (from !== undefined || to !== undefined)) {
      throw new Problem(422, 'validation_error', 'at: give either at or from/to, not both');
    }
    const range = instant === undefined ? rangeQuery(from, to) : { from: instant, to: instant };
    return {
      action: 'get',
      holders: await this.reader.nodeHolders(caller, idOrName('ref', ref), range),
    };
  }
}
