import { Inject, Injectable } from '@nestjs/common';
import { DOMAIN_DEFAULTS } from '@app/application';
import {
  fold,
  nodeStream,
  sessionDecider,
  sessionHoldsNodes,
  sessionStream,
  tenantStream,
} from '@app/domain';
import type { Defaults, SessionEvent } from '@app/domain';
import type { NodeBody, PoolBody, SessionBody, TenantBody } from '@app/contracts';
import {
  AuditLogQueries,
  nodeAsOf,
  ReadModelQueries,
  nodeHoldings,
  poolAsOf,
  sessionAsOf,
  sessionOfLastReservation,
  tenantAsOf,
} from '@app/read-models';
import type { AuditEvent } from '@app/read-models';
import { readsEverything } from '../auth/caller';
import type { Caller } from '../auth/caller';
import { Problem } from '../http/problem';
import { assertMayReadSession, forbidden, notFound, sessionOwner } from './history-access';

/** "Did not exist at that instant" is a 404 of its own kind, so a client can tell it apart. */
const notYet = (what: string, asOf: string) =>
  new Problem(404, 'not_found', `${what} did not exist at ${asOf}`);

/**
 * `?as_of=`: the state at an instant, folded from `audit_events` with the domain's own evolve
 * (never from the current row) and shaped like today's answers. An instant is inclusive: the
 * events recorded at or before it count.
 */
@Injectable()
export class AsOfReader {
  constructor(
    private readonly log: AuditLogQueries,
    private readonly queries: ReadModelQueries,
    @Inject(DOMAIN_DEFAULTS) private readonly defaults: Defaults,
  ) {}

  async tenant(caller: Caller, id: number, asOf: string): Promise<TenantBody> {
    if (!readsEverything(caller) && id !== caller.id) throw forbidden();
    const current = await this.queries.tenant(id); // rows are kept when retired
    if (!current) throw notFound();
    return this.tenantByName(current.name, asOf);
  }

  async session(caller: Caller, id: number, asOf: string): Promise<SessionBody> {
    const events = await this.log.stream(sessionStream(id), asOf);
    // Before the request, whose session it is only the whole stream says (for a tenant).
    const owner =
      sessionOwner(events) ??
      (readsEverything(caller)
        ? undefined
        : sessionOwner(await this.log.stream(sessionStream(id))));
    assertMayReadSession(caller, owner);
    if (events.length === 0) throw notYet(`session ${id}`, asOf);
    const tenant = await this.tenantByName(owner as string, asOf);
    const nodeIds = nodeIdsOf(events);
    const nodes = await this.nodeEvents(nodeIds, asOf);
    const session = sessionAsOf(events, tenant, nodes, await this.requestsOf([...nodes.values()]));
    if (!session) throw notYet(`session ${id}`, asOf);
    return session;
  }

  async node(caller: Caller, id: number, asOf: string): Promise<NodeBody> {
    const events =
      (await this.log.streamsForFold([nodeStream(id)], asOf)).get(nodeStream(id)) ?? [];
    if (!readsEverything(caller) && !(await this.heldAt(id, events, caller, asOf))) {
      throw forbidden();
    }
    const node = nodeAsOf(events, await this.requestsOf([events]));
    if (!node) throw notYet(`node ${id}`, asOf);
    return node;
  }

  /** The nodes in the pool at the instant (for a tenant: those its sessions held then). */
  async nodesOfPool(caller: Caller, pool: string, asOf: string): Promise<NodeBody[]> {
    const ids = await this.log.nodeIdsOfPool(pool, asOf);
    const byId = await this.nodeEvents(ids, asOf);
    const requests = await this.requestsOf([...byId.values()]);
    const nodes: NodeBody[] = [];
    for (const [id, events] of byId) {
      if (!readsEverything(caller) && !(await this.heldAt(id, events, caller, asOf))) continue;
      const node = nodeAsOf(events, requests);
      if (node && node.pool === pool && node.active) nodes.push(node);
    }
    return nodes.sort((a, b) => a.id - b.id);
  }

  async pool(name: string, fillLevel: number, asOf: string): Promise<PoolBody> {
    const ids = await this.log.nodeIdsOfPool(name, asOf);
    const byId = await this.nodeEvents(ids, asOf);
    const requests = await this.requestsOf([...byId.values()]);
    const nodes = [...byId.values()]
      .map((events) => nodeAsOf(events, requests))
      .filter((n): n is NodeBody => n !== undefined && n.pool === name);
    return poolAsOf(name, fillLevel, nodes);
  }

  private async tenantByName(name: string, asOf: string): Promise<TenantBody> {
    const tenant = tenantAsOf(await this.log.stream(tenantStream(name), asOf), this.defaults);
    if (!tenant) throw notYet(`tenant ${name}`, asOf);
    return tenant;
  }

  /**
   * What `GET /nodes/{id}` lets a tenant see, at the instant: the node was allocated to one of
   * its sessions that had not ended yet (the session folded with the domain's evolve).
   */
  private async heldAt(
    nodeId: number,
    nodeEvents: AuditEvent[],
    caller: Caller,
    asOf: string,
  ): Promise<boolean> {
    const at = Date.parse(asOf);
    const sessions = nodeHoldings(nodeEvents)
      .filter((h) => h.tenant === caller.name && h.from.getTime() <= at)
      .filter((h) => h.to === null || h.to.getTime() >= at)
      .map((h) => sessionStream(h.sessionId));
    for (const events of (await this.log.streams(sessions, asOf)).values()) {
      const state = fold(sessionDecider, events as unknown as SessionEvent[]);
      if (sessionHoldsNodes(state) && state.nodes.some((n) => n.nodeId === nodeId)) return true;
    }
    return false;
  }

  /**
   * The request of the session that last reserved each node: a node's `data.nodes_spec` says
   * how many nodes of its pool that session asked for, which only the request holds.
   */
  private async requestsOf(nodeStreams: AuditEvent[][]): Promise<AuditEvent[]> {
    const ids = new Set(nodeStreams.flatMap((events) => sessionOfLastReservation(events)));
    return this.log.firstEvents([...ids].map(sessionStream));
  }

  private async nodeEvents(ids: number[], asOf: string): Promise<Map<number, AuditEvent[]>> {
    const byStream = await this.log.streamsForFold(ids.map(nodeStream), asOf);
    const byId = new Map<number, AuditEvent[]>();
    for (const id of ids) byId.set(id, byStream.get(nodeStream(id)) ?? []);
    return byId;
  }
}

function nodeIdsOf(sessionEvents: AuditEvent[]): number[] {
  const ids = new Set<number>();
  for (const e of sessionEvents) {
    if (e.type !== 'NodesAllocated') continue;
    for (const n of (e.data as { nodes: { nodeId: number }[] }).nodes) ids.add(n.nodeId);
  }
  return [...ids];
}
