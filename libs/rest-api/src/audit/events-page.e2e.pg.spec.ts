import { nodeStream, sessionStream, tenantStream } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { ApiHarness } from '../testing/api-harness';
import type { Json } from '../testing/api-harness';
import {
  deprovision,
  exportNdjson,
  oneNodeSession,
  pageThroughEvents,
  retireSession,
} from '../testing/audit-scenes';

const NDJSON = { accept: 'application/x-ndjson' };
const WORKERS = 4;
const CYCLES = 3;

// GET /events over HTTP: cursor paging while the log grows, every filter against the same
// filter applied here to the whole log, ndjson export, and the parameters it refuses.
describe('GET /events: the whole log, a page at a time (issue 15)', () => {
  let h: ApiHarness;
  let auditor: [string, string];
  let ann: { id: number; auth: [string, string] };
  let ben: { id: number; auth: [string, string] };
  let log: RecordedEvent[];
  /** What two clients paged while requests and retirements ran. */
  let pagedWhole: Json[][];
  let pagedSessions: Json[][];
  /** The last position the whole-log pager saw while the writers were still at work. */
  let seenWhileWriting = 0;

  beforeAll(async () => {
    h = await ApiHarness.start('audit_events_page');
    auditor = (await h.tenant('audrey', { is_auditor: true })).auth;
    ann = await h.tenant('ann');
    ben = await h.tenant('ben');
    await h.readyNodes('plain-a', WORKERS * CYCLES + 2);
    await h.readyNodes('plain-b', 2);
    await oneNodeSession(h, ann.auth, 'plain-b');
    await h.caughtUp();

    let working = true;
    const workers = Array.from({ length: WORKERS }, async (_, w) => {
      const tenant = w % 2 === 0 ? ann : ben;
      for (let i = 0; i < CYCLES; i++) {
        const s = await oneNodeSession(h, tenant.auth, 'plain-a');
        await retireSession(h, tenant.auth, s.id);
        await deprovision(h, s.nodeId);
        const quota = await h.call('PUT', `/tenants/${tenant.id}`, {
          auth: h.admin(),
          body: { node_quota: 4 + i },
        });
        if (quota.status !== 200) throw new Error(`quota: ${quota.status}`);
      }
    });
    const done = Promise.all(workers).finally(() => (working = false));
    [pagedWhole, pagedSessions] = await Promise.all([
      pageWhileAppending('', 5, () => working),
      pageWhileAppending('stream_prefix=session-', 3, () => working),
    ]);
    await done;
    log = await h.store.readAll();
  }, 180_000);

  afterAll(() => h?.stop());

  /**
   * Pages from the start while the log grows; once the writers are done and the projection
   * has caught up, an empty page is the end. Returns the pages as they came.
   */
  async function pageWhileAppending(
    query: string,
    limit: number,
    writing: () => boolean,
  ): Promise<Json[][]> {
    const pages: Json[][] = [];
    let after = 0;
    let settled = false;
    for (;;) {
      const res = await h.call('GET', `/events?${query}&after=${after}&limit=${limit}`, {
        auth: auditor,
      });
      if (res.status !== 200) throw new Error(`page: ${res.status} ${JSON.stringify(res.body)}`);
      const events: Json[] = res.body.events;
      expect(res.body.next_after).toBe(events.at(-1)?.position ?? after);
      if (events.length > 0) {
        if (query === '' && writing()) seenWhileWriting = events.at(-1).position;
        pages.push(events);
        after = res.body.next_after;
        settled = false;
        continue;
      }
      if (settled) return pages;
      if (!writing()) {
        await h.caughtUp();
        settled = true;
      } else {
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  }

  const positions = (events: { position: number }[]) => events.map((e) => e.position);
  const data = (e: RecordedEvent) => (e.data ?? {}) as Record<string, unknown>;

  it('pages taken while events were appended hold every event exactly once, in order', () => {
    expect(pagedWhole.length).toBeGreaterThan(log.length / 5 - 1);
    for (const page of pagedWhole) expect(page.length).toBeLessThanOrEqual(5);
    expect(positions(pagedWhole.flat())).toEqual(positions(log));
    const sessions = log.filter((e) => e.stream.startsWith('session-'));
    expect(positions(pagedSessions.flat())).toEqual(positions(sessions));
    // The appends really happened while paging: the pager was in the log's middle while the
    // writers worked, and every worker's sessions are in it.
    expect(seenWhileWriting).toBeGreaterThan(0);
    expect(seenWhileWriting).toBeLessThan((log.at(-1) as RecordedEvent).position);
    const requested = log.filter((e) => e.type === 'SessionRequested');
    expect(requested).toHaveLength(WORKERS * CYCLES + 1);
  });

  it('each entry is the recorded event: stream, revision, type, time, correlation id, data', () => {
    const byPosition = new Map(log.map((e) => [e.position, e]));
    for (const entry of pagedWhole.flat()) {
      const e = byPosition.get(entry.position) as RecordedEvent;
      expect(entry).toMatchObject({
        stream: e.stream,
        revision: e.revision,
        type: e.type,
        time: e.timestamp.toISOString(),
        correlation_id: e.metadata.correlationId ?? null,
      });
      // The data as recorded, but never an API key's bcrypt hash.
      const hash = (e.data as { apiKeyHash?: string }).apiKeyHash;
      const recorded =
        hash === undefined ? e.data : { ...(e.data as object), apiKeyHash: '**********' };
      expect([e.position, entry.data]).toEqual([e.position, recorded]);
      if (hash !== undefined) expect(JSON.stringify(entry)).not.toContain(hash);
    }
  });

  describe('each filter returns exactly the matching events', () => {
    const sessionsOf = (tenant: string) =>
      new Set(
        log
          .filter((e) => e.type === 'SessionRequested' && data(e).tenant === tenant)
          .map((e) => data(e).sessionId),
      );
    const time = (e: RecordedEvent) => e.timestamp.getTime();

    /** Pages the filter through the api (small pages) and compares with the log filtered here. */
    async function expectFilter(query: string, keep: (e: RecordedEvent) => boolean) {
      const expected = log.filter(keep);
      const paged = await pageThroughEvents(h, auditor, query, 7);
      expect([query, positions(paged)]).toEqual([query, positions(expected)]);
      return expected;
    }

    it('stream and stream_prefix', async () => {
      const sessionId = data(log.find((e) => e.type === 'SessionRetired') as RecordedEvent)
        .sessionId as number;
      const one = await expectFilter(
        `stream=${sessionStream(sessionId)}`,
        (e) => e.stream === sessionStream(sessionId),
      );
      expect(one.length).toBeGreaterThan(2);
      for (const prefix of ['node-', 'tenant-', 'session-', 'tenant-a', 'pool-', 'nothing-']) {
        await expectFilter(`stream_prefix=${prefix}`, (e) => e.stream.startsWith(prefix));
      }
      await expectFilter('stream=no-such-stream', () => false);
    });

    it('type, one or a comma-separated list', async () => {
      const reserved = await expectFilter('type=NodeReserved', (e) => e.type === 'NodeReserved');
      expect(reserved).toHaveLength(WORKERS * CYCLES + 1);
      await expectFilter('type=SessionRequested,SessionRetired,TenantUpdated', (e) =>
        ['SessionRequested', 'SessionRetired', 'TenantUpdated'].includes(e.type),
      );
      await expectFilter('type=NoSuchType', () => false);
    });

    it('tenant: its stream and every event naming it or one of its sessions', async () => {
      for (const name of ['ann', 'ben', 'audrey']) {
        const sessions = sessionsOf(name);
        const matched = await expectFilter(
          `tenant=${name}`,
          (e) =>
            e.stream === tenantStream(name) ||
            data(e).tenant === name ||
            sessions.has(data(e).sessionId),
        );
        expect(matched.length).toBeGreaterThan(0);
        // None of another tenant's sessions slips in.
        for (const e of matched) {
          if (e.stream.startsWith('session-')) {
            expect(sessions.has(data(e).sessionId)).toBe(true);
          }
        }
      }
      await expectFilter('tenant=nobody', () => false);
    });

    it('node: its stream, its runs and the allocations that included it', async () => {
      const nodeId = data(log.find((e) => e.type === 'NodeReserved') as RecordedEvent)
        .nodeId as number;
      const matched = await expectFilter(
        `node=${nodeId}`,
        (e) =>
          e.stream === nodeStream(nodeId) ||
          (e.type.startsWith('ProvisioningRun') &&
            ((data(e).nodeIds as number[] | undefined) ?? []).includes(nodeId)) ||
          (e.type === 'NodesAllocated' &&
            (data(e).nodes as { nodeId: number }[]).some((n) => n.nodeId === nodeId)),
      );
      expect(matched.map((e) => e.type)).toContain('NodesAllocated');
      await expectFilter('node=99999', () => false);
    });

    it('correlation_id', async () => {
      const ids = [
        ...new Set(log.map((e) => e.metadata.correlationId).filter((c) => typeof c === 'string')),
      ];
      expect(ids.length).toBeGreaterThan(WORKERS * CYCLES);
      for (const id of ids.slice(0, 5)) {
        const matched = await expectFilter(
          `correlation_id=${encodeURIComponent(String(id))}`,
          (e) => e.metadata.correlationId === id,
        );
        expect(matched.length).toBeGreaterThan(0);
      }
      await expectFilter('correlation_id=none-such', () => false);
    });

    it('from and to, inclusive, in any offset', async () => {
      const from = log[Math.floor(log.length / 3)].timestamp;
      const to = log[Math.floor((2 * log.length) / 3)].timestamp;
      const iso = (d: Date) => d.toISOString();
      await expectFilter(`from=${iso(from)}`, (e) => time(e) >= from.getTime());
      await expectFilter(`to=${iso(to)}`, (e) => time(e) <= to.getTime());
      const between = await expectFilter(
        `from=${iso(from)}&to=${iso(to)}`,
        (e) => time(e) >= from.getTime() && time(e) <= to.getTime(),
      );
      expect(between.length).toBeGreaterThan(2);
      // The same range written at +05:30.
      const shifted = (d: Date) =>
        encodeURIComponent(
          new Date(d.getTime() + 5.5 * 3600e3).toISOString().replace('Z', '+05:30'),
        );
      const same = await pageThroughEvents(h, auditor, `from=${shifted(from)}&to=${shifted(to)}`);
      expect(positions(same)).toEqual(positions(between));
      await expectFilter(`from=${iso(to)}&to=${iso(to)}`, (e) => time(e) === to.getTime());
      await expectFilter('to=2000-01-01T00:00:00Z', () => false);
    });

    it('filters combine (AND)', async () => {
      const sessions = sessionsOf('ben');
      await expectFilter(
        'stream_prefix=session-&type=SessionRetired,SessionActivated&tenant=ben',
        (e) =>
          e.stream.startsWith('session-') &&
          ['SessionRetired', 'SessionActivated'].includes(e.type) &&
          (data(e).tenant === 'ben' || sessions.has(data(e).sessionId)),
      );
      const nodeId = data(log.find((e) => e.type === 'NodeReserved') as RecordedEvent).nodeId;
      await expectFilter(
        `node=${nodeId}&type=NodeReserved,NodeDeprovisioned`,
        (e) =>
          e.stream === nodeStream(nodeId as number) &&
          ['NodeReserved', 'NodeDeprovisioned'].includes(e.type),
      );
    });
  });

  describe('ndjson', () => {
    /** The export of the query: 200, one JSON line per event, each line ended. */
    async function exported(query: string): Promise<Json[]> {
      const res = await exportNdjson(h, auditor, query);
      expect([query, res.status]).toEqual([query, 200]);
      expect(res.contentType).toMatch(/^application\/x-ndjson/);
      expect(res.text === '' || res.text.endsWith('\n')).toBe(true);
      return res.lines;
    }

    it('streams every event as one JSON line each, the same entries as the JSON pages', async () => {
      const all = await exported('');
      expect(positions(all)).toEqual(positions(log));
      expect(all).toEqual(await pageThroughEvents(h, auditor, ''));
    });

    it('respects limit, after and the filters', async () => {
      expect(positions(await exported('limit=5'))).toEqual(positions(log.slice(0, 5)));
      expect(positions(await exported('limit=1'))).toEqual(positions(log.slice(0, 1)));
      const after = log[10].position;
      expect(positions(await exported(`after=${after}&limit=3`))).toEqual(
        positions(log.slice(11, 14)),
      );
      const reserved = await exported('type=NodeReserved');
      expect(positions(reserved)).toEqual(positions(log.filter((e) => e.type === 'NodeReserved')));
      expect(reserved).toEqual(await pageThroughEvents(h, auditor, 'type=NodeReserved'));
      expect(await exported('type=NoSuchType')).toEqual([]);
      expect(await exported(`after=${log.at(-1)?.position}`)).toEqual([]);
      // A limit is a cap on the whole export, not a page size: above 1000 is fine here.
      expect(positions(await exported('limit=5000'))).toEqual(positions(log));
    });
  });

  describe('parameters it refuses: 422 validation_error naming the parameter, never a 500', () => {
    const BAD: [string, string][] = [
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=-5', 'limit'],
      ['limit=1.5', 'limit'],
      ['limit=', 'limit'],
      ['limit=1&limit=2', 'limit'],
      ['after=-1', 'after'],
      ['after=abc', 'after'],
      ['after=99999999999999999999', 'after'],
      ['from=yesterday', 'from'],
      ['to=yesterday', 'to'],
      ['from=2026-02-31T00:00:00Z', 'from'],
      ['from=2026-01-01T00:00:00', 'from'],
      ['from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 'from'],
      ['type=', 'type'],
      ['type=A&type=B', 'type'],
      ['stream=', 'stream'],
      ['stream_prefix=', 'stream_prefix'],
      ['tenant=', 'tenant'],
      ['correlation_id=', 'correlation_id'],
      ['node=abc', 'node'],
      ['node=-1', 'node'],
      ['node=99999999999', 'node'],
    ];

    it('for JSON pages and ndjson alike', async () => {
      const page = await h.call('GET', '/events?limit=1001', { auth: auditor });
      expect([page.status, page.body]).toEqual([
        422,
        { detail: 'limit: must be an integer from 1 to 1000', code: 'validation_error' },
      ]);
      for (const headers of [{}, NDJSON]) {
        for (const [query, name] of BAD) {
          const res = await h.call('GET', `/events?${query}`, { auth: auditor, headers });
          expect([query, res.status, res.body.code]).toEqual([query, 422, 'validation_error']);
          expect([query, res.body.detail]).toEqual([query, expect.stringMatching(`^${name}: `)]);
        }
      }
    });

    it('as_of that is no RFC 3339 instant, on every endpoint that takes it', async () => {
      const sessionId = data(
        log.find((e) => e.type === 'SessionRequested') as RecordedEvent,
      ).sessionId;
      const nodeId = data(log.find((e) => e.type === 'NodeReserved') as RecordedEvent).nodeId;
      const paths = [
        `/sessions/${sessionId}?`,
        `/nodes/${nodeId}?`,
        `/tenants/${ann.id}?`,
        '/pools/plain-a?',
        '/nodes?pool=plain-a&',
      ];
      for (const path of paths) {
        // A good instant works, so the 422s below are about the instant.
        const good = await h.call('GET', `${path}as_of=${new Date().toISOString()}`, {
          auth: h.admin(),
        });
        expect([path, good.status]).toEqual([path, 200]);
        for (const bad of [
          '2026-02-31T00:00:00Z',
          'now',
          '2026-01-01T00:00:00',
          '2026-01-01T24:00:00Z',
          '',
          '2026-01-01T00:00:00Z&as_of=2026-01-02T00:00:00Z',
        ]) {
          const res = await h.call('GET', `${path}as_of=${bad}`, { auth: h.admin() });
          expect([path, bad, res.status, res.body.code]).toEqual([
            path,
            bad,
            422,
            'validation_error',
          ]);
          expect(res.body.detail).toMatch(/^as_of: /);
        }
      }
    });

    it('at, from and to of the node endpoints too', async () => {
      const nodeId = data(log.find((e) => e.type === 'NodeReserved') as RecordedEvent).nodeId;
      for (const [query, name] of [
        ['history?from=now', 'from'],
        ['history?to=2026-13-01T00:00:00Z', 'to'],
        ['history?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 'from'],
        ['holders?at=yesterday', 'at'],
        ['holders?at=2026-01-01T00:00:00Z&from=2026-01-01T00:00:00Z', 'at'],
      ]) {
        const res = await h.call('GET', `/nodes/${nodeId}/${query}`, { auth: auditor });
        expect([query, res.status, res.body.code]).toEqual([query, 422, 'validation_error']);
        expect(res.body.detail).toMatch(new RegExp(`^${name}: `));
      }
    });
  });
});
