import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

const MAX_INT = 2_147_483_647;

export class NodesSpecDto {
  @ApiProperty({ example: 'virtual-centos9stream-x86_64-small' })
  @IsString()
  @IsNotEmpty()
  pool: string;

  @ApiProperty({ example: 1, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_INT)
  quantity: number;
}

/** POST /sessions (compat §1.5 S3); extra keys are ignored. */
export class CreateSessionDto {
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'admins only: owner tenant' })
  @IsOptional()
  @IsInt()
  tenant_id?: number | null;

  @ApiProperty({ type: [NodesSpecDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => NodesSpecDto)
  nodes_specs: NodesSpecDto[];

  @ApiPropertyOptional({
    oneOf: [
      { type: 'string', example: '10m' },
      { type: 'number', example: 600 },
    ],
    description:
      'not in the original: how long the request may wait in line when not all nodes are ready ' +
      '(time delta such as `10m`, or seconds). Then the answer is `202 Accepted` with the ' +
      'session `queued`; without it, `422 pool_exhausted` as the original. Header ' +
      '`Prefer: wait=<seconds>` does the same.',
  })
  @IsOptional()
  wait?: string | number | null;
}

/** PUT /sessions/{id} (compat §1.5 S4). */
export class UpdateSessionDto {
  @ApiPropertyOptional({ type: Boolean, nullable: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'signed delta (`+1h`, `-30m`) or ISO datetime; numbers are refused (W-C27)',
  })
  @IsOptional()
  @IsString()
  expires_at?: string | null;
}
