import { Controller, Get, Param } from '@nestjs/common';
import { ApiBasicAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { HistoryResultDto } from '@app/contracts';
import { ReadModelQueries } from '@app/read-models';
import { readsEverything } from '../auth/caller';
import { CallerParam } from '../auth/caller';
import type { Caller } from '../auth/caller';
import { AuditReader } from './audit-reader';
import { forbidden, notFound } from './history-access';
import { idOrName } from './history-refs';

@ApiTags('audit')
@ApiBasicAuth()
@Controller('tenants')
export class TenantHistoryController {
  constructor(
    private readonly reader: AuditReader,
    private readonly queries: ReadModelQueries,
  ) {}

  @Get(':ref/history')
  @ApiOperation({
    summary: "A tenant's events in order: settings, keys, retirement, quota (not in the original)",
    description: 'The tenant itself, admins and auditors; 403 for other tenants.',
  })
  @ApiParam({ name: 'ref', description: 'a tenant id or name' })
  @ApiOkResponse({ type: HistoryResultDto })
  async history(
    @CallerParam() caller: Caller,
    @Param('ref') ref: string,
  ): Promise<HistoryResultDto> {
    const given = idOrName('ref', ref);
    if (typeof given === 'number' && !readsEverything(caller) && given !== caller.id) {
      throw forbidden();
    }
    const name = typeof given === 'number' ? (await this.queries.tenant(given))?.name : given;
    if (name === undefined) throw notFound();
    return { action: 'get', history: await this.reader.tenantHistory(caller, name) };
  }
}
