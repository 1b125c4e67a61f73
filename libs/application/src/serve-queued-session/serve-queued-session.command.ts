import { Command } from '@nestjs/cqrs';
import type { SessionState } from '@app/domain';

/** What a queued request's turn came to. */
export type ServeOutcome =
  /** Its whole set was reserved in one step. */
  | 'served'
  /** Still not all there (or only ending was asked): it keeps its place. */
  | 'waiting'
  /** Its deadline passed or its tenant was retired: failed, quota returned. */
  | 'ended'
  /** Not queued (any more): served, cancelled or ended by someone else. */
  | 'gone';

/**
 * A queued request's turn: end it if its deadline passed or its tenant is retired; else, unless
 * `endOnly`, reserve its whole set now if every node is ready. The queue's order is the
 * QueueServer's to keep; this only never serves a request twice or in part.
 */
export class ServeQueuedSessionCommand extends Command<{
  outcome: ServeOutcome;
  state: SessionState;
}> {
  constructor(
    readonly sessionId: number,
    readonly options: { endOnly?: boolean } = {},
  ) {
    super();
  }
}
