import {
  Defaults,
  effectiveNodeQuota,
  nodeDecider,
  sessionDecider,
  sessionHoldsNodes,
  STREAM_PREFIX,
  tenantDecider,
  TenantEvent,
  TenantState,
} from '@app/domain';
import { EventStore } from '@app/event-store';
import { foldStreams } from '../aggregate/fold-streams';

export interface AllocationAudit {
  violations: string[];
  sessions: Record<string, number>;
  readyNodes: number;
  allocatedNodes: number;
}

/** DESIGN §3 invariants 1-3, checked from the event log alone. */
export async function auditAllocation(
  store: EventStore,
  defaults: Defaults,
): Promise<AllocationAudit> {
  const [sessions, nodes, tenants] = await Promise.all([
    foldStreams(store, STREAM_PREFIX.session, sessionDecider),
    foldStreams(store, STREAM_PREFIX.node, nodeDecider),
    foldStreams(store, STREAM_PREFIX.tenant, tenantDecider),
  ]);
  const violations: string[] = [];
  const owner = new Map<number, number>();
  const heldPerTenant = new Map<string, number>();
  const statusCount: Record<string, number> = {};
  for (const s of sessions.values()) {
    statusCount[s.status] = (statusCount[s.status] ?? 0) + 1;
    if (s.status === 'requested')
      violations.push(`session ${s.sessionId} is half-done (requested)`);
    const allotment = tenants.get(`tenant-${s.tenant}`)?.allotments[s.sessionId];
    if (!sessionHoldsNodes(s)) {
      if (allotment)
        violations.push(`${s.status} session ${s.sessionId} still holds quota ${allotment}`);
      continue;
    }
    heldPerTenant.set(s.tenant, (heldPerTenant.get(s.tenant) ?? 0) + s.nodes.length);
    if (allotment !== s.nodes.length) {
      violations.push(`session ${s.sessionId} has ${s.nodes.length} nodes, quota ${allotment}`);
    }
    for (const { nodeId } of s.nodes) {
      const other = owner.get(nodeId);
      if (other !== undefined)
        violations.push(`node ${nodeId} in sessions ${other} and ${s.sessionId}`);
      owner.set(nodeId, s.sessionId);
      const node = nodes.get(`node-${nodeId}`);
      if (node?.sessionId !== s.sessionId) {
        violations.push(`node ${nodeId} of session ${s.sessionId} is held by ${node?.sessionId}`);
      }
    }
  }
  let readyNodes = 0;
  for (const node of nodes.values()) {
    if (node.status === 'ready' && node.sessionId === null) readyNodes++;
    if (node.sessionId !== null && owner.get(node.nodeId) !== node.sessionId) {
      const s = sessions.get(`session-${node.sessionId}`);
      violations.push(`node ${node.nodeId} held by ${s?.status} session ${node.sessionId}`);
    }
  }
  for (const [stream, tenant] of tenants) {
    const held = heldPerTenant.get(tenant.name) ?? 0;
    if (tenant.allotted !== held) {
      violations.push(`${stream}: quota in use ${tenant.allotted} but holds ${held} nodes`);
    }
    violations.push(...quotaHighWaterViolations(tenant, await store.readStream(stream), defaults));
  }
  return { violations, sessions: statusCount, readyNodes, allocatedNodes: owner.size };
}

/** The quota in use never went above the effective quota at any point of the history. */
function quotaHighWaterViolations(
  tenant: TenantState,
  recorded: { type: string; data: unknown }[],
  defaults: Defaults,
): string[] {
  if (tenant.isAdmin) return [];
  let state = tenantDecider.initialState();
  for (const e of recorded) {
    state = tenantDecider.evolve(state, e as TenantEvent);
    if (state.allotted > effectiveNodeQuota(state, defaults)) {
      return [`tenant ${tenant.name} went to ${state.allotted} > quota`];
    }
  }
  return [];
}
