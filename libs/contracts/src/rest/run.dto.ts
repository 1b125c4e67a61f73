import { ApiProperty } from '@nestjs/swagger';
import type { RunBody } from './bodies';

/** A provisioner run, for the OpenAPI document. */
export class RunDto implements RunBody {
  @ApiProperty({ example: '3f0c8a52-2f4e-4a39-9d55-0c7c1c6f1e2a' })
  id: string;

  @ApiProperty({ example: 'virtual-centos9stream-x86_64-small' })
  pool: string;

  @ApiProperty({ enum: ['provision', 'deprovision'] })
  kind: string;

  @ApiProperty({ enum: ['running', 'succeeded', 'failed'] })
  status: string;

  @ApiProperty({ type: [Number], description: 'ids of the nodes the run works on' })
  nodes: number[];

  @ApiProperty({ type: String, nullable: true, example: 'provision.yml' })
  playbook: string | null;

  @ApiProperty({ description: 'the provisioner instance that ran it' })
  instance: string;

  @ApiProperty({ example: '2024-02-01T10:00:00.512000Z' })
  started_at: string;

  @ApiProperty({ type: String, nullable: true, description: 'null while running' })
  finished_at: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'seconds; null while running' })
  duration: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'null while running, when no process ran, or when it was killed',
  })
  exit_code: number | null;

  @ApiProperty()
  timed_out: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'why it failed' })
  reason: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the last characters of the output; null while running',
  })
  output_tail: string | null;
}

export class RunListResultDto {
  @ApiProperty({ example: 'get' })
  action: 'get';

  @ApiProperty({ type: [RunDto] })
  runs: RunDto[];
}

export class RunResultDto {
  @ApiProperty({ example: 'get' })
  action: 'get';

  @ApiProperty({ type: RunDto })
  run: RunDto;
}
