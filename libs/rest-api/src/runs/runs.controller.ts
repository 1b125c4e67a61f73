import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBasicAuth,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { ProvisioningRunQueries } from '@app/read-models';
import { CallerParam, readsEverything } from '../auth/caller';
import type { Caller } from '../auth/caller';
import { Problem } from '../http/problem';
import { DEFAULT_RUN_LIMIT, MAX_RUN_LIMIT, parseRunListQuery } from './run-list-query';
import { RunListResultDto, RunResultDto } from '@app/contracts';

const ADMINS_ONLY =
  'Admins and auditors only (401 without credentials, 403 for other tenants): output tails name hosts and ' +
  'cloud resources.';

/**
 * The provisioner's playbook runs, like Drydock's tasks (not in the original). Admin-only, more
 * strictly than nodes (W-S2): a run's output tail may show any tenant's hosts.
 */
@ApiTags('runs')
@ApiBasicAuth()
@Controller('runs')
export class RunsController {
  constructor(private readonly runs: ProvisioningRunQueries) {}

  @Get()
  @ApiOperation({ summary: 'List provisioning runs, newest first', description: ADMINS_ONLY })
  @ApiQuery({ name: 'pool', required: false, description: 'only the runs of this pool' })
  @ApiQuery({
    name: 'limit',
    required: false,
    description: `at most this many runs (1-${MAX_RUN_LIMIT}, default ${DEFAULT_RUN_LIMIT})`,
  })
  @ApiOkResponse({ type: RunListResultDto })
  async list(
    @CallerParam() caller: Caller,
    // Typed loosely on purpose: the global pipe leaves them as they came (see parseRunListQuery).
    @Query('pool') pool: string | string[] | undefined,
    @Query('limit') limit: string | string[] | undefined,
  ): Promise<RunListResultDto> {
    adminsAndAuditorsOnly(caller);
    return { action: 'get', runs: await this.runs.runs(parseRunListQuery(pool, limit)) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Show a provisioning run', description: ADMINS_ONLY })
  @ApiParam({ name: 'id', description: 'the run id (a UUID); anything else is 404' })
  @ApiOkResponse({ type: RunResultDto })
  async show(@CallerParam() caller: Caller, @Param('id') id: string): Promise<RunResultDto> {
    adminsAndAuditorsOnly(caller);
    const run = await this.runs.run(id);
    if (!run) throw new Problem(404, 'not_found', 'Not Found');
    return { action: 'get', run };
  }
}

function adminsAndAuditorsOnly(caller: Caller): void {
  if (!readsEverything(caller)) throw new Problem(403, 'forbidden', 'Forbidden');
}
