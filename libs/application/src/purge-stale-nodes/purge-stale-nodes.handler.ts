import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError, isStale, NodeCommand, nodeDecider, NodeState, nodeStream } from '@app/domain';
import { DeciderCommandHandler } from '../aggregate/decider-command-handler';
import { foldStreams } from '../aggregate/fold-streams';
import { PurgedNode, PurgeStaleNodesCommand } from './purge-stale-nodes.command';

/**
 * Candidates come from the log (every node stream folded), not a read model, so a lagging
 * projection cannot hide or invent one. Each is then purged through its own decider on fresh
 * state: a node that moved on meanwhile is skipped, not an error.
 */
@CommandHandler(PurgeStaleNodesCommand)
export class PurgeStaleNodesHandler
  extends DeciderCommandHandler
  implements ICommandHandler<PurgeStaleNodesCommand>
{
  async execute({ options }: PurgeStaleNodesCommand): Promise<PurgedNode[]> {
    const { olderThanMs, dryRun, actor } = options;
    if (!Number.isFinite(olderThanMs) || olderThanMs <= 0) {
      throw new DomainError('invalid_request', `older_than: must be positive, got ${olderThanMs}`);
    }
    const states = await foldStreams(this.store, 'node-', nodeDecider);
    const now = this.clock.now();
    const candidates = [...states.values()]
      .filter((s) => isStale(s, now, olderThanMs))
      .sort((a, b) => a.nodeId - b.nodeId);
    if (dryRun) return candidates.map(purged);
    const done: PurgedNode[] = [];
    for (const candidate of candidates) {
      const result = await this.purgeOne(candidate, olderThanMs, actor);
      if (result) done.push(result);
    }
    return done;
  }

  private async purgeOne(
    candidate: NodeState,
    olderThanMs: number,
    actor: string,
  ): Promise<PurgedNode | null> {
    let before: NodeState | null = null;
    const reason = `stale: ${candidate.status} for longer than ${formatMs(olderThanMs)}`;
    try {
      const { events } = await this.change(
        nodeStream(candidate.nodeId),
        nodeDecider,
        actor,
        (state, now): NodeCommand | null => {
          if (!isStale(state, new Date(now), olderThanMs)) return null;
          before = state;
          return { type: 'PurgeStaleNode', data: { reason, now } };
        },
      );
      return events.length > 0 && before ? purged(before) : null;
    } catch (e) {
      // It changed between the scan and the append in a way the decider refuses: moved on.
      if (e instanceof DomainError && e.code === 'invalid_transition') return null;
      throw e;
    }
  }
}

function purged(state: NodeState): PurgedNode {
  const cleaned = state.status === 'provisioning' && state.reusable;
  return {
    nodeId: state.nodeId,
    hostname: state.hostname,
    pool: state.pool,
    state: state.status,
    since: state.statusSince ?? '',
    action: cleaned ? 'unused' : 'retired',
  };
}

function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}
