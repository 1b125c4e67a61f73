import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIP, IsNotEmpty, IsObject, IsOptional, IsString } from 'class-validator';

/** POST /nodes (compat §1.5 N3). */
export class CreateNodeDto {
  @ApiProperty({ example: 'n1.example.test' })
  @IsString()
  @IsNotEmpty()
  hostname: string;

  @ApiProperty({ example: '127.0.0.11' })
  @IsIP()
  ipaddr: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  comment?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  pool?: string | null;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  reusable?: boolean;

  @ApiPropertyOptional({ type: Object, default: {} })
  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;
}
