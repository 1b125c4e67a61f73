import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';

/** POST /nodes/purge-stale (admins; not in the original). */
export class PurgeStaleNodesDto {
  @ApiPropertyOptional({
    description:
      'How long a node may stay provisioning, deprovisioning or failed before it is stale ' +
      '(a time delta: `90m`, `2h`, `1d`; seconds as a bare number)',
    default: '2h',
    example: '2h',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  older_than?: string;

  @ApiPropertyOptional({
    description: 'Only list what would be purged; change nothing',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  dry_run?: boolean;
}
