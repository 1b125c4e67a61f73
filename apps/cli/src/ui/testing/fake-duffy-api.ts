import { ApiError } from '../../client/api-client.js';
import type { DuffyApi, HistoryEntry, NodeSpec, PoolStatus, SessionInfo } from '../duffy-api.js';

type Method = keyof DuffyApi;

/**
 * An in-memory DuffyApi for tests. It records calls, fails a method on demand (`failures`),
 * and can hold session requests open (`holdRequests`) so a test sees the progress display.
 */
export class FakeDuffyApi implements DuffyApi {
  readonly calls: { method: Method; args: unknown[] }[] = [];
  readonly failures: Partial<Record<Method, Error>> = {};
  holdRequests = false;
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

  async requestSession(specs: NodeSpec[]) {
    this.record('requestSession', [specs]);
    if (this.holdRequests) await new Promise<void>((release) => this.held.push(release));
    const session: SessionInfo = {
      id: this.nextId++,
      active: true,
      expiresAt: '2030-01-01T06:00:00Z',
      specs,
      nodes: specs.flatMap((s) =>
        Array.from({ length: s.quantity }, (_, i) => ({
          hostname: `${s.pool}-${i + 1}.example.org`,
          ipaddr: `10.0.0.${i + 1}`,
          pool: s.pool,
          state: 'deployed',
        })),
      ),
    };
    this.sessions.push(session);
    return structuredClone(session);
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
