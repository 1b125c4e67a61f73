import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
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
  ) {}

  /**
   * compat §1.5 P2 with W-C24: only concrete pools are pools (an abstract one is 404). No
   * authentication, as in the original.
   */
  @Get(':name')
  @NoAuth()
  @ApiOperation({ summary: 'Show a pool with its node levels' })
  async show(@Param('name') name: string) {
    const pool = this.config.pool(name);
    if (!pool) throw new Problem(404, 'not_found', 'Not Found');
    if (pool.fillLevel === undefined) {
      throw new Problem(422, 'not_filled', 'Unprocessable Entity');
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
