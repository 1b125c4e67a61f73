import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AS_OF } from '../audit/as-of-description';
import { AsOfReader } from '../audit/as-of-reader';
import { instantQuery } from '../audit/instant-query';
import type { DuffyConfig } from '@app/config';
import { ReadModelQueries } from '@app/read-models';
import { NoAuth } from '../auth/auth-mode.decorator';
import { DUFFY_CONFIG } from '../config.token';
import { Problem } from '../http/problem';

@ApiTags('pools')
@Controller('pools')
export class ShowPoolController {
  constructor(
    @Inject(DUFFY_CONFIG) private readonly config: DuffyConfig,
    private readonly queries: ReadModelQueries,
    private readonly asOf: AsOfReader,
  ) {}

  /**
   * compat §1.5 P2 with W-C24: only concrete pools are pools (an abstract one is 404). No
   * authentication, as in the original.
   */
  @Get(':name')
  @NoAuth()
  @ApiOperation({ summary: 'Show a pool with its node levels' })
  @ApiQuery({
    name: 'as_of',
    required: false,
    description: `${AS_OF} The fill-level is today's configuration.`,
  })
  async show(@Param('name') name: string, @Query('as_of') asOfQuery: unknown) {
    const asOf = instantQuery('as_of', asOfQuery);
    const pool = this.config.pool(name);
    if (!pool) throw new Problem(404, 'not_found', 'Not Found');
    if (pool.fillLevel === undefined) {
      throw new Problem(422, 'not_filled', 'Unprocessable Entity');
    }
    if (asOf !== undefined) {
      return { action: 'get', pool: await this.asOf.pool(pool.name, pool.fillLevel, asOf) };
    }
    return {
      action: 'get',
      pool: {
        name: pool.name,
        'fill-level': pool.fillLevel,
        levels: await this.queries.poolLevels(name),
      },
    };
  }
}
