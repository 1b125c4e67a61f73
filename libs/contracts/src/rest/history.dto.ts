import { ApiProperty } from '@nestjs/swagger';
import type {
  ActorKind,
  EventPageAnswer,
  HistoryAnswer,
  HistoryEntryBody,
  NodeHoldingBody,
  NodeHoldingListAnswer,
} from './bodies';

const ACTOR_KINDS: ActorKind[] = [
  'tenant',
  'admin',
  'provisioner',
  'expiry',
  'reconciler',
  'system',
];

/** One event of the log, for the OpenAPI document. */
export class HistoryEntryDto implements HistoryEntryBody {
  @ApiProperty({ example: 1234, description: 'global position in the log; the /events cursor' })
  position: number;

  @ApiProperty({ example: 'session-12' })
  stream: string;

  @ApiProperty({ example: 0, description: 'revision inside the stream, from 0' })
  revision: number;

  @ApiProperty({ example: '2026-12-01T14:00:00.512Z', description: 'when the store recorded it' })
  time: string;

  @ApiProperty({ example: 'SessionExtended' })
  type: string;

  @ApiProperty({
    example: 'alice',
    description: 'tenant name, or provisioner/expiry/reconciler/system',
  })
  actor: string;

  @ApiProperty({ enum: ACTOR_KINDS })
  actor_kind: ActorKind;

  @ApiProperty({ type: String, nullable: true, example: 'session-12' })
  correlation_id: string | null;

  @ApiProperty({ example: 'extended expiry 14:00 → 18:00 (asked for 20:00, clamped)' })
  summary: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "the event's data as recorded; an API key's bcrypt hash is masked",
  })
  data: Record<string, unknown>;
}

export class HistoryResultDto implements HistoryAnswer {
  @ApiProperty({ example: 'get' })
  action: 'get';

  @ApiProperty({ type: [HistoryEntryDto] })
  history: HistoryEntryDto[];
}

export class EventPageResultDto implements EventPageAnswer {
  @ApiProperty({ example: 'get' })
  action: 'get';

  @ApiProperty({ type: [HistoryEntryDto] })
  events: HistoryEntryDto[];

  @ApiProperty({
    example: 1234,
    description: 'pass as `after` for the next page (the last position returned, or `after`)',
  })
  next_after: number;
}

export class NodeHoldingDto implements NodeHoldingBody {
  @ApiProperty({ example: 3 })
  node_id: number;

  @ApiProperty({ type: String, nullable: true, example: 'n3.pool-a.example.test' })
  hostname: string | null;

  @ApiProperty({ example: 12 })
  session_id: number;

  @ApiProperty({ example: 'alice' })
  tenant: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: "the tenant's ssh public key when the node was reserved",
  })
  ssh_key: string | null;

  @ApiProperty({ example: '2026-12-01T14:00:00.512Z', description: 'reserved at' })
  from: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'left the session at (deprovisioning started, released or failed); null: held',
  })
  to: string | null;
}

export class NodeHoldingListResultDto implements NodeHoldingListAnswer {
  @ApiProperty({ example: 'get' })
  action: 'get';

  @ApiProperty({ type: [NodeHoldingDto] })
  holders: NodeHoldingDto[];
}
