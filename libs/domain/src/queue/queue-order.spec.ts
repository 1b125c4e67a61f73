import type { NodeSpec } from '../session/session.events';
import { orderQueue, QueuedRequest, queuedDemand, shortfallBehind } from './queue-order';

// The queue's one rule (docs/domain.md "Queued requests"), as tables: first come first served
// per pool, backfill only with nodes nobody earlier wants, no starvation of a big head.

/** `req(7, 'a:1', 'b:5')`: session 7 wants 1 of a and 5 of b; joined at position = id. */
function req(sessionId: number, ...specs: string[]): QueuedRequest {
  return { sessionId, specs: specs.map(spec), queuedAt: sessionId * 10 };
}
function spec(text: string): NodeSpec {
  const [pool, quantity] = text.split(':');
  return { pool, quantity: Number(quantity) };
}
const readyOf =
  (counts: Record<string, number>) =>
  (pool: string): number =>
    counts[pool] ?? 0;
const servable = (queue: QueuedRequest[], ready: Record<string, number>) =>
  orderQueue(queue, readyOf(ready))
    .filter((s) => s.servable)
    .map((s) => s.sessionId);

describe('orderQueue: first come, first served per pool', () => {
  it.each([
    { ready: 0, served: [] },
    { ready: 1, served: [1] },
    { ready: 2, served: [1, 2] },
    { ready: 3, served: [1, 2, 3] },
    { ready: 9, served: [1, 2, 3] },
  ])('three 1-node requests, $ready ready: $served servable', ({ ready, served }) => {
    expect(servable([req(1, 'a:1'), req(2, 'a:1'), req(3, 'a:1')], { a: ready })).toEqual(served);
  });

  it('orders by the place in the log, not by the order it is given in', () => {
    const queue = [req(3, 'a:1'), req(1, 'a:1'), req(2, 'a:1')];
    const standings = orderQueue(queue, readyOf({ a: 1 }));
    expect(standings.map((s) => [s.sessionId, s.position, s.servable])).toEqual([
      [1, 1, true],
      [2, 2, false],
      [3, 3, false],
    ]);
  });

  it('a later small request does not jump a bigger one that is not servable yet', () => {
    // 2 ready, head wants 3: the 1-node request behind finds 2 - 3 < 1.
    expect(servable([req(1, 'a:3'), req(2, 'a:1')], { a: 2 })).toEqual([]);
  });

  it('specs of one pool given twice count as one demand', () => {
    expect(servable([req(1, 'a:1', 'a:2'), req(2, 'a:1')], { a: 3 })).toEqual([1]);
    expect(orderQueue([req(1, 'a:1', 'a:2'), req(2, 'a:1')], readyOf({ a: 3 }))[1]).toMatchObject({
      aheadNodes: 3,
      aheadByPool: { a: 3 },
    });
  });
});

describe('orderQueue: backfill only with nodes no earlier request wants', () => {
  // Head wants A:1 + B:5, 3 ready in A, 2 in B: the head waits for B.
  const head = req(1, 'A:1', 'B:5');
  const ready = { A: 3, B: 2 };

  it.each([
    {
      name: 'a later A:1 goes through (A has 2 nobody earlier wants)',
      later: req(2, 'A:1'),
      ok: true,
    },
    { name: 'a later A:2 goes through', later: req(2, 'A:2'), ok: true },
    { name: 'a later A:3 does not (1 of the 3 is the head’s)', later: req(2, 'A:3'), ok: false },
    { name: 'a later B:1 does not (B is the head’s)', later: req(2, 'B:1'), ok: false },
    { name: 'a later A:1+B:1 does not', later: req(2, 'A:1', 'B:1'), ok: false },
  ])('$name', ({ later, ok }) => {
    const [first, second] = orderQueue([head, later], readyOf(ready));
    expect(first).toMatchObject({ sessionId: 1, servable: false, position: 1, aheadNodes: 0 });
    expect(second.servable).toBe(ok);
  });

  it('two backfills share what is left: A:1, A:1, then a third A:1 finds nothing', () => {
    expect(servable([head, req(2, 'A:1'), req(3, 'A:1'), req(4, 'A:1')], ready)).toEqual([2, 3]);
  });
});

describe('orderQueue: a head of 5 is never starved by a stream of 1-node requests', () => {
  const stream = (n: number) => Array.from({ length: n }, (_, i) => req(i + 2, 'a:1'));
  const queue = [req(1, 'a:5'), ...stream(8)];

  it.each([0, 1, 2, 3, 4])('%i ready: nobody is servable, the head keeps its place', (ready) => {
    const standings = orderQueue(queue, readyOf({ a: ready }));
    expect(standings.filter((s) => s.servable)).toEqual([]);
    expect(standings[0]).toMatchObject({ sessionId: 1, position: 1, aheadNodes: 0 });
  });

  it('5 ready: the head and only the head', () => {
    expect(servable(queue, { a: 5 })).toEqual([1]);
  });

  it('7 ready: the head, then the first two behind it', () => {
    expect(servable(queue, { a: 7 })).toEqual([1, 2, 3]);
  });

  it('nodes arriving one by one: the head is the first served, then the others in order', () => {
    let line = [...queue];
    const servedOrder: number[] = [];
    for (let ready = 0; line.length > 0 && ready < 20;) {
      ready++;
      for (const { sessionId, servable: now } of orderQueue(line, readyOf({ a: ready }))) {
        if (!now) continue;
        const served = line.find((r) => r.sessionId === sessionId) as QueuedRequest;
        ready -= served.specs[0].quantity;
        line = line.filter((r) => r !== served);
        servedOrder.push(sessionId);
      }
    }
    expect(servedOrder).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('orderQueue: positions and nodes ahead', () => {
  it('counts the requests and nodes ahead in the pools it asks for', () => {
    const queue = [
      req(1, 'a:2'),
      req(2, 'b:1'),
      req(3, 'a:1', 'b:2'),
      req(4, 'c:4'),
      req(5, 'b:1'),
    ];
    const standings = orderQueue(queue, readyOf({}));
    expect(
      standings.map(({ sessionId, position, aheadNodes, aheadByPool }) => ({
        sessionId,
        position,
        aheadNodes,
        aheadByPool,
      })),
    ).toEqual([
      { sessionId: 1, position: 1, aheadNodes: 0, aheadByPool: { a: 0 } },
      { sessionId: 2, position: 1, aheadNodes: 0, aheadByPool: { b: 0 } },
      // Sessions 1 (a) and 2 (b) are ahead: 2 + 1 nodes.
      { sessionId: 3, position: 3, aheadNodes: 3, aheadByPool: { a: 2, b: 1 } },
      { sessionId: 4, position: 1, aheadNodes: 0, aheadByPool: { c: 0 } },
      { sessionId: 5, position: 3, aheadNodes: 3, aheadByPool: { b: 3 } },
    ]);
  });

  it('a request ahead in two of its pools is counted once', () => {
    const [, second] = orderQueue([req(1, 'a:1', 'b:1'), req(2, 'a:1', 'b:1')], readyOf({}));
    expect(second).toMatchObject({ position: 2, aheadNodes: 2 });
  });

  it('requests in other pools are independent: a stuck head in a does not hold up b', () => {
    const queue = [req(1, 'a:5'), req(2, 'b:1'), req(3, 'a:1'), req(4, 'b:2')];
    expect(servable(queue, { a: 1, b: 3 })).toEqual([2, 4]);
    expect(servable(queue, { a: 0, b: 1 })).toEqual([2]);
  });

  it('an empty queue has no standings', () => {
    expect(orderQueue([], readyOf({ a: 3 }))).toEqual([]);
  });
});

describe('shortfallBehind: a fresh request stands behind the whole queue', () => {
  const queue = [req(1, 'a:3'), req(2, 'a:1', 'b:2')];

  it.each([
    {
      name: 'no queue: never refused by it, even with nothing ready',
      queue: [],
      ready: {},
      specs: ['a:9'],
      short: null,
    },
    {
      name: 'beyond what the line wants: free',
      queue,
      ready: { a: 5, b: 2 },
      specs: ['a:1'],
      short: null,
    },
    {
      name: 'within what the line wants: short, although nodes are ready',
      queue,
      ready: { a: 4, b: 2 },
      specs: ['a:1'],
      short: { pool: 'a', requested: 1, ready: 4, queued_ahead: 4 },
    },
    {
      name: 'a pool nobody queues for is never refused by the queue',
      queue,
      ready: { a: 0, b: 0 },
      specs: ['c:2'],
      short: null,
    },
    {
      name: 'the first short pool in pool order',
      queue,
      ready: { a: 0, b: 0 },
      specs: ['b:1', 'a:1'],
      short: { pool: 'a', requested: 1, ready: 0, queued_ahead: 4 },
    },
    {
      name: 'a short second pool',
      queue,
      ready: { a: 9, b: 3 },
      specs: ['b:2', 'a:1'],
      short: { pool: 'b', requested: 2, ready: 3, queued_ahead: 2 },
    },
  ])('$name', ({ queue: q, ready, specs, short }) => {
    // A table row's `{}` is typed without an index signature.
    const counts = ready as Record<string, number>;
    expect(shortfallBehind(q, readyOf(counts), specs.map(spec))).toEqual(short);
  });

  it('queuedDemand: the nodes per pool the whole line wants', () => {
    expect(Object.fromEntries(queuedDemand(queue))).toEqual({ a: 4, b: 2 });
    expect(queuedDemand([]).size).toBe(0);
  });
});

/** Deterministic pseudo-random numbers, so a failure can be replayed from its seed. */
function random(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe('orderQueue: serving the servable never delays an earlier request (property)', () => {
  const POOLS = ['a', 'b', 'c'];

  /** Per pool, how much of what it wants an earlier request could have now (0..wanted). */
  function coverage(line: QueuedRequest[], ready: Record<string, number>) {
    const out = new Map<number, Record<string, number>>();
    for (const s of orderQueue(line, readyOf(ready))) {
      const request = line.find((r) => r.sessionId === s.sessionId) as QueuedRequest;
      const perPool: Record<string, number> = {};
      for (const { pool, quantity } of request.specs) {
        perPool[pool] = (perPool[pool] ?? 0) + quantity;
      }
      for (const pool of Object.keys(perPool)) {
        const free = Math.max(0, (ready[pool] ?? 0) - s.aheadByPool[pool]);
        perPool[pool] = Math.min(perPool[pool], free);
      }
      out.set(s.sessionId, perPool);
    }
    return out;
  }

  it.each([1, 7, 42, 1234, 99991])('seed %i: 300 random queues', (seed) => {
    const next = random(seed);
    const pick = (n: number) => Math.floor(next() * n);
    for (let round = 0; round < 300; round++) {
      let line = Array.from({ length: 1 + pick(8) }, (_, i) => ({
        sessionId: i + 1,
        queuedAt: pick(1000),
        specs: Array.from({ length: 1 + pick(2) }, () => ({
          pool: POOLS[pick(3)],
          quantity: 1 + pick(4),
        })),
      }));
      const ready: Record<string, number> = Object.fromEntries(POOLS.map((p) => [p, pick(9)]));
      const context = () => JSON.stringify({ seed, round, line, ready });
      // Passes like the QueueServer's: standings read once, the servable served in order.
      for (let pass = 0; pass < 4; pass++) {
        for (const standing of orderQueue(line, readyOf(ready))) {
          if (!standing.servable) continue;
          const before = coverage(line, ready);
          const served = line.find((r) => r.sessionId === standing.sessionId) as QueuedRequest;
          const order = orderQueue(line, readyOf(ready)).map((s) => s.sessionId);
          const earlier = order.slice(0, order.indexOf(served.sessionId));
          for (const { pool, quantity } of served.specs) {
            ready[pool] -= quantity;
            if (ready[pool] < 0) throw new Error(`served beyond the ready nodes: ${context()}`);
          }
          line = line.filter((r) => r !== served);
          const after = coverage(line, ready);
          for (const id of earlier) {
            for (const [pool, had] of Object.entries(before.get(id) ?? {})) {
              const has = after.get(id)?.[pool] ?? 0;
              if (has < had) {
                throw new Error(
                  `serving ${served.sessionId} took ${pool} from earlier ${id} (${had} -> ${has}): ${context()}`,
                );
              }
            }
          }
        }
        // Some nodes become ready between passes.
        for (const pool of POOLS) ready[pool] += pick(3);
      }
    }
  });
});
