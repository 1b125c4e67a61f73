import { Controller, Get, Param } from '@nestjs/common';
import { ApiBasicAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HistoryResultDto } from '@app/contracts';
import { CallerParam } from '../auth/caller';
import type { Caller } from '../auth/caller';
import { AuditReader } from './audit-reader';

@ApiTags('audit')
@ApiBasicAuth()
@Controller('pools')
export class PoolHistoryController {
  constructor(private readonly reader: AuditReader) {}

  @Get(':name/history')
  @ApiOperation({
    summary: "A pool's fill decisions in order: who provisioned how many, and how it ended",
    description: 'Admins and auditors only (403 for other tenants). Runs are under /runs.',
  })
  @ApiOkResponse({ type: HistoryResultDto })
  async history(
    @CallerParam() caller: Caller,
    @Param('name') name: string,
  ): Promise<HistoryResultDto> {
    return { action: 'get', history: await this.reader.poolHistory(caller, name) };
  }
}
