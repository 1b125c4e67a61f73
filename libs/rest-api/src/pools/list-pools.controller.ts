import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DuffyConfig } from '@app/config';
import { NoAuth } from '../auth/auth-mode.decorator';
import { DUFFY_CONFIG } from '../config.token';
import { PoolListResultDto } from '@app/contracts';

@ApiTags('pools')
@Controller('pools')
export class ListPoolsController {
  constructor(@Inject(DUFFY_CONFIG) private readonly config: DuffyConfig) {}

  /**
   * Concrete pools that have a fill-level, in config order (abstract pools are templates, not
   * pools: unlike the original, they are never listed — W-C24). No authentication, as in the
   * original.
   */
  @Get()
  @NoAuth()
  @ApiOperation({ summary: 'List the pools that are kept filled' })
  @ApiOkResponse({ type: PoolListResultDto })
  list(): PoolListResultDto {
    return {
      action: 'get',
      pools: this.config
        .filledPools()
        .map((p) => ({ name: p.name, 'fill-level': p.fillLevel as number })),
    };
  }
}
