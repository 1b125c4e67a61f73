import type { NodeSpec } from '../session/session.events';
import { specsByPool } from '../session/session.decide';

/** A request waiting for its nodes, as the queue orders it. */
export interface QueuedRequest {
  sessionId: number;
  specs: readonly NodeSpec[];
  /** Global log position of its SessionQueued: first come, first served. */
  queuedAt: number;
}

/** Where a request stands in line, and whether its whole set can be reserved now. */
export interface QueueStanding {
  sessionId: number;
  /** 1 + the requests ahead of it that want a node of one of its pools. */
  position: number;
  /** Nodes of its pools that the requests ahead of it want. */
  aheadNodes: number;
  /** Per pool: nodes the requests ahead want from it. */
  aheadByPool: Record<string, number>;
  /** Every pool has enough ready nodes beyond what the requests ahead want. */
  servable: boolean;
}

/** Why a request cannot have its nodes now: the first pool that is short. */
export interface Shortfall {
  pool: string;
  requested: number;
  ready: number;
  queued_ahead: number;
}

/**
 * The queue's one rule (docs/domain.md "Queued requests"). Requests are taken in the order
 * they joined; each one counts the pool's ready nodes minus what every request ahead of it
 * wants from that pool (served or still waiting). It is served when that leaves enough in every
 * pool it asks for. So a later request is served first (backfill) only with nodes no earlier
 * request needs — it cannot delay the head — and a request is never passed over forever: the
 * nodes it waits for are never counted as free for anyone behind it.
 */
export function orderQueue(
  queue: readonly QueuedRequest[],
  ready: (pool: string) => number,
): QueueStanding[] {
  const wanted = new Map<string, number>();
  const standings: QueueStanding[] = [];
  const inOrder = [...queue].sort((a, b) => a.queuedAt - b.queuedAt || a.sessionId - b.sessionId);
  // Per pool, the places (indices in line) of the requests that want from it so far.
  const places = new Map<string, number[]>();
  inOrder.forEach((request, index) => {
    const demand = specsByPool(request.specs);
    const aheadByPool: Record<string, number> = {};
    let servable = true;
    for (const { pool, quantity } of demand) {
      const ahead = wanted.get(pool) ?? 0;
      aheadByPool[pool] = ahead;
      if (ready(pool) - ahead < quantity) servable = false;
    }
    const position = 1 + requestsAhead(demand.map((d) => places.get(pool(d)) ?? []));
    const aheadNodes = Object.values(aheadByPool).reduce((sum, n) => sum + n, 0);
    standings.push({ sessionId: request.sessionId, position, aheadNodes, aheadByPool, servable });
    for (const { pool, quantity } of demand) {
      wanted.set(pool, (wanted.get(pool) ?? 0) + quantity);
      const list = places.get(pool);
      if (list) list.push(index);
      else places.set(pool, [index]);
    }
  });
  return standings;
}

const pool = (spec: NodeSpec) => spec.pool;

/** How many distinct requests ahead share a pool: one pool is a count, several a union. */
function requestsAhead(perPool: number[][]): number {
  if (perPool.length === 1) return perPool[0].length;
  return new Set(perPool.flat()).size;
}

/**
 * Whether a request arriving now may take its nodes: it stands behind the whole queue, so each
 * pool the queue wants from must hold its quantity beyond what every queued request wants from
 * it. Null when it may (a pool nobody waits for is left to the reservation itself, which reads
 * the nodes' own streams); else the first short pool (in the order allocation takes pools).
 */
export function shortfallBehind(
  queue: readonly QueuedRequest[],
  ready: (pool: string) => number,
  specs: readonly NodeSpec[],
): Shortfall | null {
  const wanted = queuedDemand(queue);
  for (const { pool, quantity } of specsByPool(specs)) {
    const ahead = wanted.get(pool) ?? 0;
    if (ahead === 0) continue;
    const have = ready(pool);
    if (have - ahead < quantity) {
      return { pool, requested: quantity, ready: have, queued_ahead: ahead };
    }
  }
  return null;
}

/** Nodes per pool that queued requests want: what the pool must make beyond its fill level. */
export function queuedDemand(queue: readonly QueuedRequest[]): Map<string, number> {
  const wanted = new Map<string, number>();
  for (const request of queue) {
    for (const { pool, quantity } of request.specs) {
      wanted.set(pool, (wanted.get(pool) ?? 0) + quantity);
    }
  }
  return wanted;
}
