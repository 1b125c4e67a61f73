import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import {
  ApiBasicAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { EventPageResultDto } from '@app/contracts';
import { CallerParam } from '../auth/caller';
import type { Caller } from '../auth/caller';
import { Problem } from '../http/problem';
import { AuditReader } from './audit-reader';
import { DEFAULT_EVENT_LIMIT, MAX_EVENT_LIMIT, parseEventPageQuery } from './event-page-query';
import { assertReadsEverything } from './history-access';
import { writeNdjson } from './ndjson-export';

const NDJSON = 'application/x-ndjson';

@ApiTags('audit')
@ApiBasicAuth()
@Controller('events')
export class EventsController {
  constructor(private readonly reader: AuditReader) {}

  @Get()
  @ApiOperation({
    summary: 'The whole event log, filtered, a page at a time (admins and auditors)',
    description:
      'Cursor pagination on position: pass `next_after` as `after`. Stable while events are ' +
      'appended: positions only grow, and a page never skips one committed later. With ' +
      `\`Accept: ${NDJSON}\` every matching event after \`after\` (up to \`limit\`) streams as ` +
      'JSON lines, for export to a SIEM. Filters combine (AND).',
  })
  @ApiQuery({
    name: 'after',
    required: false,
    description: 'position to continue after (default 0)',
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    description: `events per page, 1-${MAX_EVENT_LIMIT} (default ${DEFAULT_EVENT_LIMIT}); ndjson: at most this many in all`,
  })
  @ApiQuery({ name: 'stream', required: false, description: 'exactly this stream' })
  @ApiQuery({ name: 'stream_prefix', required: false, description: 'e.g. `session-` or `node-`' })
  @ApiQuery({ name: 'type', required: false, description: 'event types, comma-separated' })
  @ApiQuery({
    name: 'tenant',
    required: false,
    description: "a tenant's stream and every event naming one of its sessions",
  })
  @ApiQuery({
    name: 'node',
    required: false,
    description: "a node's stream, its runs and allocations",
  })
  @ApiQuery({ name: 'correlation_id', required: false })
  @ApiQuery({ name: 'from', required: false, description: 'RFC 3339, inclusive' })
  @ApiQuery({ name: 'to', required: false, description: 'RFC 3339, inclusive' })
  @ApiProduces('application/json', NDJSON)
  @ApiOkResponse({ type: EventPageResultDto })
  async page(
    @CallerParam() caller: Caller,
    @Query() query: Record<string, unknown>,
    @Headers('accept') accept: string | undefined,
    // The response is written here: ndjson streams, so Nest must not send one of its own.
    @Res() res: ServerResponse,
  ): Promise<void> {
    assertReadsEverything(caller);
    const { filter, after, limit } = parseEventPageQuery(query);
    if ((accept ?? '').includes(NDJSON)) {
      await writeNdjson(res, (from, max) => this.reader.page(filter, from, max), after, limit);
      return;
    }
    if (limit !== undefined && limit > MAX_EVENT_LIMIT) {
      throw new Problem(
        422,
        'validation_error',
        `limit: must be an integer from 1 to ${MAX_EVENT_LIMIT}`,
      );
    }
    const events = await this.reader.page(filter, after, limit ?? DEFAULT_EVENT_LIMIT);
    const body: EventPageResultDto = {
      action: 'get',
      events,
      next_after: events.at(-1)?.position ?? after,
    };
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(body));
  }
}
