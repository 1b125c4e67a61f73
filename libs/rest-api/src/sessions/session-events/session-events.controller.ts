import {
  BeforeApplicationShutdown,
  Controller,
  Get,
  Headers,
  Param,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBasicAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { ReadModelQueries } from '@app/read-models';
import { AuditReader } from '../../audit/audit-reader';
import { CallerParam, readsEverything } from '../../auth/caller';
import type { Caller } from '../../auth/caller';
import { IdPipe } from '../../http/id.pipe';
import { Problem } from '../../http/problem';
import { ProjectionWaiter } from '../../read-your-writes/projection-waiter';
import { SessionQueuePlaces } from '../session-queue-places';
import { resumeCursor } from './resume-cursor';
import { sessionEventSource } from './session-event-source';
import { DEFAULT_TIMING, writeSessionEvents } from './session-event-stream';

const SENT =
  'Server-Sent Events (not in the original), one per change of the session, in log order: ' +
  "its own events and its nodes' events while they serve it (the entries of " +
  '`/sessions/{id}/timeline`). Each is `id: <log position>`, `event: <event type>`, ' +
  '`data: <the history entry plus "state", the session\'s state after it>`. While the session is ' +
  'queued, `event: queue` (no id) carries its place in line `{position, ahead_nodes, eta, ' +
  'deadline}` whenever that changes. `: keepalive` comments every 15 s. The server ends the ' +
  "stream after the session's `SessionRetired` or `SessionFailed`. Resume with `Last-Event-ID` " +
  '(or `?last_event_id=`): only entries after that position. Same access as ' +
  '`GET /sessions/{id}`: its tenant, admins and auditors; 403 for other tenants (unknown ids ' +
  'too), 404 for admins.';

const EXAMPLE =
  'id: 41\nevent: SessionQueued\ndata: {"position":41,"type":"SessionQueued",...,"state":"queued"}\n\n' +
  'event: queue\ndata: {"position":2,"ahead_nodes":3,"eta":null,"deadline":"2026-12-02T10:30:00Z"}\n\n';

@ApiTags('sessions')
@ApiBasicAuth()
@Controller('sessions')
export class SessionEventsController implements BeforeApplicationShutdown {
  /** Ends every open stream before the server closes, which waits for open answers. */
  private readonly shutdown = new AbortController();

  constructor(
    private readonly queries: ReadModelQueries,
    private readonly reader: AuditReader,
    private readonly waiter: ProjectionWaiter,
    private readonly places: SessionQueuePlaces,
  ) {}

  @Get(':id/events')
  @ApiOperation({
    summary: "A session's changes as they happen (Server-Sent Events)",
    description: SENT,
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'the `id` of the last event received: the stream resumes after it',
  })
  @ApiQuery({
    name: 'last_event_id',
    required: false,
    description: 'as the `Last-Event-ID` header (the header wins when both are given)',
  })
  @ApiOkResponse({
    description: 'An event stream until the session ends',
    schema: { type: 'string', example: EXAMPLE },
  })
  async events(
    @CallerParam() caller: Caller,
    @Param('id', IdPipe) id: number,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Query('last_event_id') lastEventIdQuery: unknown,
    // The stream is written here: Nest must not send an answer of its own.
    @Res() res: ServerResponse,
  ): Promise<void> {
    const after = resumeCursor(lastEventId, lastEventIdQuery);
    await this.assertVisible(caller, id);
    const { reader, queries, waiter, places } = this;
    const source = sessionEventSource({ reader, queries, waiter, places }, caller, id);
    await writeSessionEvents(res, source, after, DEFAULT_TIMING, this.shutdown.signal);
  }

  beforeApplicationShutdown(): void {
    this.shutdown.abort();
  }

  /** As `GET /sessions/{id}` (W-S3): tenants get 403 for unknown ids, admins 404. Once. */
  private async assertVisible(caller: Caller, id: number): Promise<void> {
    const session = await this.queries.session(id);
    if (!readsEverything(caller) && session?.tenant.id !== caller.id) {
      throw new Problem(403, 'forbidden', 'Forbidden');
    }
    if (!session) throw new Problem(404, 'not_found', 'Not Found');
  }
}
