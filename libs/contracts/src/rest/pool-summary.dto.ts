import { ApiProperty } from '@nestjs/swagger';
import type { PoolSummaryBody } from './bodies';

/** A pool as `GET /pools` lists it: the original's concise form, dash included. */
export class PoolSummaryDto implements PoolSummaryBody {
  @ApiProperty({ example: 'virtual-centos9stream-x86_64-small' })
  name: string;

  @ApiProperty({ name: 'fill-level', example: 5 })
  'fill-level': number;
}

export class PoolListResultDto {
  @ApiProperty({ example: 'get' })
  action: 'get';

  @ApiProperty({ type: [PoolSummaryDto] })
  pools: PoolSummaryDto[];
}
