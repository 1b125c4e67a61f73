import { Injectable } from '@nestjs/common';
import { nodeStream, poolStream, sessionStream, tenantStream } from '@app/domain';
import type { HistoryEntryBody, NodeHoldingBody } from '@app/contracts';
import { AuditLogQueries, historyEntry, sessionTimeline } from '@app/read-models';
import type { AuditEvent, AuditEventFilter } from '@app/read-models';
import { readsEverything } from '../auth/caller';
import type { Caller } from '../auth/caller';
import {
  assertMayReadSession,
  assertReadsEverything,
  forbidden,
  holdingsVisibleTo,
  nodeEventsVisibleTo,
  notFound,
  sessionOwner,
  withoutRunOutput,
} from './history-access';

const iso = (d: Date | null) => (d === null ? null : d.toISOString());
const within = (e: AuditEvent, range: { from?: string; to?: string }) =>
  (range.from === undefined || e.time.getTime() >= Date.parse(range.from)) &&
  (range.to === undefined || e.time.getTime() <= Date.parse(range.to));

/** The history endpoints' reads: `audit_events` through the access rules, as entries. */
@Injectable()
export class AuditReader {
  constructor(private readonly log: AuditLogQueries) {}

  async sessionHistory(caller: Caller, id: number): Promise<HistoryEntryBody[]> {
    const events = await this.log.stream(sessionStream(id));
    assertMayReadSession(caller, sessionOwner(events));
    if (events.length === 0) throw notFound();
    return this.entries(events);
  }

  async sessionTimeline(caller: Caller, id: number): Promise<HistoryEntryBody[]> {
    const candidates = await this.log.sessionTimelineCandidates(id);
    assertMayReadSession(caller, sessionOwner(candidates.session));
    if (candidates.session.length === 0) throw notFound();
    return this.entries(withoutRunOutput(caller, sessionTimeline(candidates, id)));
  }

  /** A node by id, or every node that had the hostname, merged in position order. */
  async nodeHistory(
    caller: Caller,
    ref: number | string,
    range: { from?: string; to?: string },
  ): Promise<HistoryEntryBody[]> {
    const streams = await this.existingNodeStreams(caller, ref);
    const visible: AuditEvent[] = [];
    for (const events of streams.values()) visible.push(...nodeEventsVisibleTo(caller, events));
    if (visible.length === 0) throw forbidden();
    visible.sort((a, b) => a.position - b.position);
    return this.entries(visible.filter((e) => within(e, range)));
  }

  /** Who held the node(s) during the range (an instant: from = to). */
  async nodeHolders(
    caller: Caller,
    ref: number | string,
    range: { from?: string; to?: string },
  ): Promise<NodeHoldingBody[]> {
    const from = range.from === undefined ? -Infinity : Date.parse(range.from);
    const to = range.to === undefined ? Infinity : Date.parse(range.to);
    const holders: NodeHoldingBody[] = [];
    let any = false;
    for (const [id, events] of await this.existingNodeStreams(caller, ref)) {
      const holdings = holdingsVisibleTo(caller, events);
      any ||= holdings.length > 0;
      for (const h of holdings) {
        if (h.from.getTime() > to || (h.to !== null && h.to.getTime() < from)) continue;
        holders.push({
          node_id: id,
          hostname: hostnameAt(events, h.fromPosition),
          session_id: h.sessionId,
          tenant: h.tenant,
          ssh_key: null,
          from: h.from.toISOString(),
          to: iso(h.to),
        });
      }
    }
    if (!any && !readsEverything(caller)) throw forbidden();
    return this.withKeys(holders);
  }

  async tenantHistory(caller: Caller, name: string): Promise<HistoryEntryBody[]> {
    if (!readsEverything(caller) && name !== caller.name) throw forbidden();
    const events = await this.log.stream(tenantStream(name));
    if (events.length === 0) throw notFound();
    return this.entries(events);
  }

  async poolHistory(caller: Caller, name: string): Promise<HistoryEntryBody[]> {
    assertReadsEverything(caller);
    const events = await this.log.stream(poolStream(name));
    if (events.length === 0) throw notFound();
    return this.entries(events);
  }

  async page(filter: AuditEventFilter, after: number, limit: number): Promise<HistoryEntryBody[]> {
    return this.entries(await this.log.page(filter, after, limit));
  }

  async entries(events: AuditEvent[]): Promise<HistoryEntryBody[]> {
    if (events.length === 0) return [];
    const admins = await this.log.adminNames();
    return events.map((e) => historyEntry(e, (name) => admins.has(name)));
  }

  /** The node streams a reference names; none: 404 for admins and auditors, 403 for tenants. */
  private async existingNodeStreams(
    caller: Caller,
    ref: number | string,
  ): Promise<Map<number, AuditEvent[]>> {
    const streams = await this.nodeStreams(ref);
    if (streams.size === 0) throw readsEverything(caller) ? notFound() : forbidden();
    return streams;
  }

  private async nodeStreams(ref: number | string): Promise<Map<number, AuditEvent[]>> {
    const ids = typeof ref === 'number' ? [ref] : await this.log.nodeIdsWithHostname(ref);
    const byStream = await this.log.streams(ids.map(nodeStream));
    const byId = new Map<number, AuditEvent[]>();
    for (const id of ids) {
      const events = byStream.get(nodeStream(id)) ?? [];
      if (events.length > 0) byId.set(id, events);
    }
    return byId;
  }

  /** The key each tenant had when the holding began: its tenant stream up to then. */
  private async withKeys(holders: NodeHoldingBody[]): Promise<NodeHoldingBody[]> {
    const tenants = [...new Set(holders.map((h) => h.tenant))];
    const streams = await this.log.streams(tenants.map(tenantStream));
    return holders.map((h) => ({
      ...h,
      ssh_key: sshKeyAt(streams.get(tenantStream(h.tenant)) ?? [], Date.parse(h.from)),
    }));
  }
}

function hostnameAt(events: AuditEvent[], position: number): string | null {
  let hostname: string | null = null;
  for (const e of events) {
    if (e.position > position) break;
    const h = (e.data as { hostname?: unknown }).hostname;
    if (typeof h === 'string') hostname = h;
  }
  return hostname;
}

function sshKeyAt(events: AuditEvent[], atMs: number): string | null {
  let key: string | null = null;
  for (const e of events) {
    if (e.time.getTime() > atMs) break;
    const k = (e.data as { sshKey?: unknown }).sshKey;
    if (typeof k === 'string') key = k;
  }
  return key;
}
