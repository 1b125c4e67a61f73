import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBasicAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { PurgeStaleNodesCommand } from '@app/application';
import { parseConfigDelta } from '@app/config';
import { PurgeStaleNodesDto } from '@app/contracts';
import type { PurgeStaleAnswer } from '@app/contracts';
import { nodeStream } from '@app/domain';
import { CallerParam } from '../auth/caller';
import type { Caller } from '../auth/caller';
import { Problem } from '../http/problem';
import { ReadYourWrites } from '../read-your-writes/read-your-writes';

const DEFAULT_OLDER_THAN = '2h';

/**
 * `POST /nodes/purge-stale`: nodes stuck provisioning, deprovisioning or failed are cleaned
 * (reusable machines) or retired. Registered before NodesController so `:id/...` never sees it.
 */
@ApiTags('nodes')
@ApiBasicAuth()
@Controller('nodes')
export class PurgeStaleController {
  constructor(
    private readonly bus: CommandBus,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Post('purge-stale')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Clean or retire nodes stuck provisioning, deprovisioning or failed for longer than older_than (admins)',
  })
  @ApiOkResponse({
    description:
      "`{action: 'post', purged: [{id, hostname, pool, state, since, action}]}`; " +
      'action `unused` (a reusable machine cleaned) or `retired`',
  })
  @ApiForbiddenResponse({ description: '`forbidden`: not an admin' })
  @ApiUnprocessableEntityResponse({ description: '`validation_error`: older_than or dry_run' })
  async purge(
    @CallerParam() caller: Caller,
    @Body() body: PurgeStaleNodesDto,
  ): Promise<PurgeStaleAnswer> {
    if (!caller.isAdmin) throw new Problem(403, 'forbidden', 'Forbidden');
    const olderThanMs = olderThan(body.older_than ?? DEFAULT_OLDER_THAN);
    const purged = await this.bus.execute(
      new PurgeStaleNodesCommand({
        olderThanMs,
        dryRun: body.dry_run === true,
        actor: caller.name,
      }),
    );
    if (purged.length > 0 && body.dry_run !== true) {
      await this.readYourWrites.afterWritesTo(purged.map((n) => nodeStream(n.nodeId)));
    }
    return {
      action: 'post',
      purged: purged.map(({ nodeId, ...rest }) => ({ id: nodeId, ...rest })),
    };
  }
}

function olderThan(text: string): number {
  let ms: number;
  try {
    ms = parseConfigDelta(text);
  } catch {
    throw new Problem(422, 'validation_error', `older_than: invalid time delta '${text}'`);
  }
  if (ms <= 0) throw new Problem(422, 'validation_error', 'older_than: must be above zero');
  return ms;
}
