import { ApiError } from '../../client/api-client.js';
import type {
  DuffyApi,
  HistoryEntry,
  NodeSpec,
  PoolStatus,
  QueueStanding,
  SessionFailure,
  SessionInfo,
  SessionRequestOptions,
} from '../duffy-api.js';

type Method = keyof DuffyApi;

/**
 * An in-memory DuffyApi for tests. It records calls, fails a method on demand (`failures`),
 * can hold session requests open (`holdRequests`) so a test sees the progress display, and
 * queues requests that ask for a wait while `queueWith` is set, until `serve` or `fail`.
 */
export class FakeDuffyApi implements DuffyApi {
  readonly calls: { method: Method; args: unknown[] }[] = [];
  readonly failures: Partial<Record<Method, Error>> = {};
  holdRequests = false;
  /** The place in line a request with a wait gets (and keeps until changed). */
  queueWith?: QueueStanding;
  /** Histories by `session:ID` and `node:HOSTNAME`; any other is a 404. */
  readonly histories: Record<string, HistoryEntry[]> = {};
  private nextId = 100;
  private held: (() => void)[] = [];

  constructor(
    public pools: PoolStatus[] = [],
    public sessions: SessionInfo[] = [],
  ) {}

  async listPools() {
    this.record('listPools', []);
    return this.pools.map(({ name, fillLevel }) => ({ name, fillLevel }));
  }

  async showPool(name: string) {
    this.record('showPool', [name]);
    const pool = this.pools.find((p) => p.name === name);
    if (!pool) throw new ApiError(404, 'Not Found');
    return structuredClone(pool);
  }

  async listSessions() {
    this.record('listSessions', []);
    return structuredClone(this.sessions.filter((s) => s.active));
  }

  async requestSession(specs: NodeSpec[], options?: SessionRequestOptions) {
    this.record('requestSession', options === undefined ? [specs] : [specs, options]);
    if (this.holdRequests) await new Promise<void>((release) => this.held.push(release));
    const id = this.nextId++;
    const queued = options?.wait !== undefined && this.queueWith !== undefined;
    const session: SessionInfo = queued
      ? {
          id,
          active: true,
          expiresAt: null,
          specs,
          nodes: [],
          state: 'queued',
          queue: this.queueWith,
        }
      : { id, active: true, expiresAt: '2030-01-01T06:00:00Z', specs, nodes: nodesFor(specs) };
    this.sessions.push(session);
    return structuredClone(session);
  }

  async showSession(id: number) {
    this.record('showSession', [id]);
    const session = this.sessions.find((s) => s.id === id);
    if (!session) throw new ApiError(404, 'Not Found');
    return structuredClone(session);
  }

  /** A queued session gets its nodes and is active. */
  serve(id: number): void {
    const session = this.sessions.find((s) => s.id === id)!;
    Object.assign(session, { state: 'active', nodes: nodesFor(session.specs) });
    delete session.queue;
  }

  /** A queued session fails (e.g. `deadline_passed`). */
  fail(id: number, failure: SessionFailure): void {
    const session = this.sessions.find((s) => s.id === id)!;
    Object.assign(session, { state: 'failed', active: false, failure });
    delete session.queue;
  }

  /** Lets the held session requests answer. */
  releaseRequests(): void {
    for (const release of this.held.splice(0)) release();
  }

  async extendSession(id: number, delta: string) {
    this.record('extendSession', [id, delta]);
    const session = this.find(id);
    const hours = Number(/^\+(\d+)h$/.exec(delta)?.[1] ?? NaN);
    if (Number.isNaN(hours) || session.expiresAt === null) throw new ApiError(422, 'bad delta');
    session.expiresAt = new Date(Date.parse(session.expiresAt) + hours * 3_600_000)
      .toISOString()
      .replace('.000Z', 'Z');
    return structuredClone(session);
  }

  async retireSession(id: number) {
    this.record('retireSession', [id]);
    const session = this.find(id);
    session.active = false;
    if (session.state !== undefined) session.state = 'retired';
    delete session.queue;
    return structuredClone(session);
  }

  async sessionTimeline(id: number) {
    this.record('sessionTimeline', [id]);
    return this.history(`session:${id}`);
  }

  async nodeHistory(node: string) {
    this.record('nodeHistory', [node]);
    return this.history(`node:${node}`);
  }

  callsOf(method: Method): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  private record(method: Method, args: unknown[]): void {
    this.calls.push({ method, args });
    const failure = this.failures[method];
    if (failure) throw failure;
  }

  private history(key: string): HistoryEntry[] {
    const entries = this.histories[key];
    if (!entries) throw new ApiError(404, `no history of ${key}`);
    return structuredClone(entries);
  }

  private find(id: number): SessionInfo {
    const session = this.sessions.find((s) => s.id === id);
    if (!session) throw new ApiError(404, 'Not Found');
    if (!session.active) throw new ApiError(422, `session ${id} is retired`);
    return session;
  }
}

/** The nodes a served request gets: `POOL-N.example.org`, deployed. */
function nodesFor(specs: NodeSpec[]): SessionInfo['nodes'] {
  return specs.flatMap((s) =>
    Array.from({ length: s.quantity }, (_, i) => ({
      hostname: `${s.pool}-${i + 1}.example.org`,
      ipaddr: `10.0.0.${i + 1}`,
      pool: s.pool,
      state: 'deployed',
    })),
  );
}
