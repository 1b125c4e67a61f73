import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIP,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';

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

/** The longest reason an admin action records (it is shown in every history line). */
export const NODE_REASON_MAX = 500;
export const NODE_COMMENT_MAX = 2000;

/** POST /nodes/{id}/{fail|maintain|release|retire|reprovision} (admins). */
export class NodeActionDto {
  @ApiPropertyOptional({
    maxLength: NODE_REASON_MAX,
    description: "Kept in the node's history with the admin's name; a default when left out",
    example: 'disk check',
  })
  @IsOptional()
  @IsString()
  @MaxLength(NODE_REASON_MAX)
  reason?: string;
}

/** POST /nodes/{id}/comment (admins): free text kept in the node's history. */
export class NodeCommentDto {
  @ApiProperty({ maxLength: NODE_COMMENT_MAX, example: 'fan replaced on 2026-12-01' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(NODE_COMMENT_MAX)
  comment: string;
}
