import { Controller, Get, Param } from '@nestjs/common';
import { ApiBasicAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HistoryResultDto } from '@app/contracts';
import { CallerParam } from '../auth/caller';
import type { Caller } from '../auth/caller';
import { IdPipe } from '../http/id.pipe';
import { AuditReader } from './audit-reader';

const WHO = "The session's tenant, admins and auditors; 403 for other tenants, existing or not.";

@ApiTags('audit')
@ApiBasicAuth()
@Controller('sessions')
export class SessionHistoryController {
  constructor(private readonly reader: AuditReader) {}

  @Get(':id/history')
  @ApiOperation({ summary: "A session's events in order (not in the original)", description: WHO })
  @ApiOkResponse({ type: HistoryResultDto })
  async history(
    @CallerParam() caller: Caller,
    @Param('id', IdPipe) id: number,
  ): Promise<HistoryResultDto> {
    return { action: 'get', history: await this.reader.sessionHistory(caller, id) };
  }

  @Get(':id/timeline')
  @ApiOperation({
    summary: "The whole story of a session: its events with its nodes', quota and runs'",
    description:
      `${WHO} Each node's events from its reservation for this session to the end of its ` +
      "cleanup, the tenant's quota allotments for it, the provisioning runs of its nodes in that " +
      'span (output tails only for admins and auditors), in position order.',
  })
  @ApiOkResponse({ type: HistoryResultDto })
  async timeline(
    @CallerParam() caller: Caller,
    @Param('id', IdPipe) id: number,
  ): Promise<HistoryResultDto> {
    return { action: 'get', history: await this.reader.sessionTimeline(caller, id) };
  }
}
