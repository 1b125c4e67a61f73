import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  Allow,
  IsBoolean,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  Min,
} from 'class-validator';

/** POST /tenants (compat §1.5 T3); lifetimes are config time deltas (`6h`, `3600`). */
export class CreateTenantDto {
  @ApiProperty({ example: 'tenant' })
  @IsString()
  @IsNotEmpty()
  name: string;

  @ApiProperty({ example: 'ssh-ed25519 AAAA...' })
  @IsString()
  ssh_key: string;

  @ApiPropertyOptional({ type: Boolean, nullable: true })
  @IsOptional()
  @IsBoolean()
  is_admin?: boolean | null;

  @ApiPropertyOptional({
    type: Boolean,
    nullable: true,
    description: 'an auditor reads every history and changes nothing (not in the original)',
  })
  @IsOptional()
  @IsBoolean()
  is_auditor?: boolean | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  node_quota?: number | null;

  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'number' }], nullable: true })
  @Allow()
  session_lifetime?: unknown;

  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'number' }], nullable: true })
  @Allow()
  session_lifetime_max?: unknown;
}
