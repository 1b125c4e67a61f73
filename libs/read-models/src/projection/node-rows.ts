import type { NodeEvent } from '@app/domain';
import { duplicateKey } from './row-errors';
import { jsonbDrop, jsonbMerge, jsonVerbatim } from './jsonb';
import type { Conversions, NodeRow } from './rows';

const failure = (at: string, detail: string) => ({ error: { failed_at: at, detail } });

export interface NodeContext extends Conversions {
  /** compat §2.3 `nodes_spec`: the quantity the session asked of the pool (specs summed). */
  requestedOf(sessionId: number, pool: string): number;
}

/**
 * `nodes` rows (compat §2.1, §2.3 data keys), one event at a time. Pure: `node` is the row as
 * the events before left it (undefined: none), the result the row after. Pool levels follow
 * from the rows (`recountPoolLevels`), for the pools a node was in before and after.
 * `state_since` moves with `state` only, as the domain's `statusSince` does.
 */
export function evolveNode(
  node: NodeRow | undefined,
  event: NodeEvent,
  context: NodeContext,
): NodeRow | undefined {
  const after = evolveColumns(node, event, context);
  if (!after || after === node || after.state === node?.state) return after;
  return { ...after, state_since: context.utc(event.data.at) };
}

function evolveColumns(
  node: NodeRow | undefined,
  event: NodeEvent,
  context: NodeContext,
): NodeRow | undefined {
  switch (event.type) {
    case 'NodeRegistered': {
      const d = event.data;
      if (node) throw duplicateKey('nodes_pkey', `(id)=(${d.nodeId})`);
      return {
        id: d.nodeId,
        hostname: d.hostname,
        ipaddr: d.ipaddr,
        state: 'unused',
        comment: d.comment,
        pool: d.pool,
        reusable: d.reusable,
        data: jsonVerbatim(d.data),
        created_at: context.utc(d.at),
        retired_at: null,
        maintenance: null,
        state_since: null,
      };
    }
    case 'NodeProvisioningStarted': {
      const d = event.data;
      // A fresh placeholder (no address yet) or a reused `unused` node.
      if (!node) {
        return {
          id: d.nodeId,
          hostname: null,
          ipaddr: null,
          state: 'provisioning',
          comment: null,
          pool: d.pool,
          reusable: d.reusable,
          data: { text: '{}', viaJsonb: false },
          created_at: context.utc(d.at),
          retired_at: null,
          maintenance: null,
          state_since: null,
        };
      }
      return { ...node, state: 'provisioning', pool: d.pool, data: jsonbDrop(node.data, 'error') };
    }
    case 'NodeReserved': {
      const d = event.data;
      // Asked of the session even when the node is missing, as the per-event statements did.
      const spec = { quantity: context.requestedOf(d.sessionId, d.pool), pool: d.pool };
      if (!node) return node;
      return {
        ...node,
        state: 'contextualizing',
        data: jsonbMerge(node.data, { nodes_spec: spec }),
      };
    }
  }
  if (!node) return node;
  switch (event.type) {
    case 'NodeProvisioningSucceeded': {
      const d = event.data;
      return {
        ...node,
        state: 'ready',
        hostname: d.hostname,
        ipaddr: d.ipaddr,
        data: jsonbMerge(node.data, { provision: d.provision }),
      };
    }
    case 'NodeProvisioningFailed':
      return node.reusable
        ? { ...node, state: 'unused', pool: null, data: jsonbDrop(node.data, 'provision') }
        : {
            ...node,
            state: 'failed',
            data: jsonbMerge(node.data, failure(event.data.at, event.data.reason)),
          };
    case 'NodeContextualized':
      return { ...node, state: 'deployed' };
    case 'NodeReleased':
      // W-C9: a released node does not keep the spec of a session it never served.
      return { ...node, state: 'ready', data: jsonbDrop(node.data, 'nodes_spec') };
    case 'NodeDeprovisioningStarted':
      return { ...node, state: 'deprovisioning', pool: null };
    case 'NodeDeprovisioned':
      return node.reusable
        ? {
            ...node,
            state: 'unused',
            data: jsonbDrop(node.data, 'error', 'nodes_spec', 'provision'),
          }
        : { ...node, state: 'done' };
    case 'NodeFailed':
      return {
        ...node,
        state: 'failed',
        data: jsonbMerge(node.data, failure(event.data.at, event.data.reason)),
      };
    case 'NodeRetired':
      return { ...node, retired_at: node.retired_at ?? context.utc(event.data.at) };
    case 'NodeMaintenanceStarted':
      return { ...node, maintenance: event.data.reason };
    case 'NodeMaintenanceEnded':
      return { ...node, maintenance: null };
    case 'NodeCommented':
      // The column holds the latest comment; the earlier ones stay in the node's history.
      return { ...node, comment: event.data.comment };
  }
  return node;
}

/** Every node event may change the state (`state_since`), so its instant is converted. */
export function nodeInstants(event: NodeEvent): unknown[] {
  return [event.data.at];
}
