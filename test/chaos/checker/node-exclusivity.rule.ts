import type { RecordedEvent } from '@app/event-store';
import type { Violation } from '../contract';
import type { RuleFindings } from './chaos-run-evidence';
import { classify } from './fold-log';

/**
 * `node-in-two-sessions`, in log order, from both sides:
 * - the node stream: a NodeReserved while another session holds the node (held from its
 *   NodeReserved until NodeReleased, NodeDeprovisioningStarted, NodeFailed or NodeRetired);
 * - the sessions: a NodesAllocated naming a node another session still holds, a session's hold
 *   ending when the session ends (SessionRetired / SessionFailed) or the node lets go of it (a
 *   sibling's failure releases a node before its session fails, and the node may be taken).
 */
export function checkNodeExclusivity(events: RecordedEvent[]): RuleFindings {
  const violations: Violation[] = [];
  /** node id → the session its stream says holds it, and where that began. */
  const reservedFor = new Map<number, { sessionId: number; position: number }>();
  /** node id → session id → position of the NodesAllocated naming it. */
  const claims = new Map<number, Map<number, number>>();
  /** session id → the nodes its NodesAllocated named. */
  const claimedBy = new Map<number, number[]>();

  for (const recorded of events) {
    const entry = classify(recorded);
    const at = recorded.position;
    if (entry.kind === 'node') {
      const e = entry.event;
      const nodeId = entry.id;
      if (e.type === 'NodeReserved') {
        const holder = reservedFor.get(nodeId);
        if (holder && holder.sessionId !== e.data.sessionId) {
          violations.push({
            rule: 'node-in-two-sessions',
            detail:
              `node ${nodeId} reserved for session ${e.data.sessionId} at position ${at} while ` +
              `session ${holder.sessionId} holds it (reserved at position ${holder.position})`,
          });
        }
        reservedFor.set(nodeId, { sessionId: e.data.sessionId, position: at });
      } else if (e.type === 'NodeReleased') {
        reservedFor.delete(nodeId);
        claims.get(nodeId)?.delete(e.data.sessionId);
      } else if (
        e.type === 'NodeDeprovisioningStarted' ||
        e.type === 'NodeFailed' ||
        e.type === 'NodeRetired'
      ) {
        reservedFor.delete(nodeId);
        claims.delete(nodeId);
      }
    } else if (entry.kind === 'session') {
      const e = entry.event;
      const sessionId = entry.id;
      if (e.type === 'NodesAllocated') {
        const named = (e.data.nodes ?? []).map((n) => n.nodeId);
        for (const nodeId of named) {
          const holders = claims.get(nodeId) ?? new Map<number, number>();
          for (const [other, since] of holders) {
            if (other === sessionId) continue;
            violations.push({
              rule: 'node-in-two-sessions',
              detail:
                `session ${sessionId} allocated node ${nodeId} at position ${at} while ` +
                `session ${other} holds it (allocated at position ${since})`,
            });
          }
          holders.set(sessionId, at);
          claims.set(nodeId, holders);
        }
        claimedBy.set(sessionId, [...(claimedBy.get(sessionId) ?? []), ...named]);
      } else if (e.type === 'SessionRetired' || e.type === 'SessionFailed') {
        for (const nodeId of claimedBy.get(sessionId) ?? []) claims.get(nodeId)?.delete(sessionId);
        claimedBy.delete(sessionId);
      }
    }
  }
  return { violations };
}
