// The legacy endpoints of compat §6.2, each translated to one REST v1 call (plus clean-up on a
// POST timeout, W-L1).
import { randomUUID } from 'node:crypto';
import { mangleHostname, poolmapLookup, type MetaclientConfig } from '@app/config';
import type {
  InventoryRow,
  KeyedInventoryRow,
  NodeGetBody,
  ProblemBody,
  SessionAnswer,
  SessionBody,
  SessionListAnswer,
} from '@app/contracts';
import { failed, invalidKey, ok, type LegacyAnswer } from './legacy-answer';
import { reasonOf } from './reasons';
import { Upstream, UpstreamUnavailable, upstreamCode, type Credentials } from './upstream';

export interface HandlerOptions {
  /** Timeout of `POST /sessions`: longer than the api's own session wait (W-L1). */
  allocateTimeoutMs: number;
  /** Timeout of every other upstream call. */
  timeoutMs: number;
  log: (line: string) => void;
}

export class LegacyHandlers {
  constructor(
    private readonly config: MetaclientConfig,
    private readonly upstream: Upstream,
    private readonly options: HandlerOptions,
  ) {}

  /** `/Node/get`: one session of `count` nodes of the pool the poolmap picks. */
  async nodeGet(
    credentials: Credentials,
    q: { ver: string; arch: string; count: number; flavor: string | null },
  ): Promise<LegacyAnswer> {
    const pool = poolmapLookup(this.config.poolmap, q);
    if (pool === null) {
      // W-L2: refused here; the original sent `pool: null` upstream and got a 422.
      return failed(
        'Failed to allocate nodes',
        'no_poolmap_match',
        `ver=${q.ver} arch=${q.arch} flavor=${q.flavor ?? ''}`,
      );
    }
    const body = { nodes_specs: [{ quantity: q.count, pool }] };
    const idempotencyKey = randomUUID();
    try {
      const answer = await this.upstream.call('POST', '/sessions', credentials, {
        body,
        timeoutMs: this.options.allocateTimeoutMs,
        headers: { 'idempotency-key': idempotencyKey },
      });
      if (answer.status !== 201) {
        const code = upstreamCode(answer);
        return failed(
          'Failed to allocate nodes',
          reasonOf(answer.status, code),
          `pool=${pool} quantity=${q.count}: ${answer.status} ${detailOf(answer.body)}`,
        );
      }
      const session = (answer.body as SessionAnswer).session;
      const got: NodeGetBody = {
        ssid: session.id,
        hosts: session.nodes.map((n) => this.mangle(n.hostname)),
      };
      return ok(got);
    } catch (error) {
      if (!(error instanceof UpstreamUnavailable)) throw error;
      if (error.reason === 'upstream_timeout') {
        await this.retireAfterTimeout(credentials, body, idempotencyKey);
      }
      return failed('Failed to allocate nodes', error.reason, error.message);
    }
  }

  /** `/Node/done`: retire the session. */
  async nodeDone(credentials: Credentials, ssid: string): Promise<LegacyAnswer> {
    return this.putSession(
      credentials,
      ssid,
      { active: false },
      'Failed to return nodes on completion',
    );
  }

  /** `/Node/fail`: keep the nodes 6 h longer for inspection (clamped by the api). */
  async nodeFail(credentials: Credentials, ssid: string): Promise<LegacyAnswer> {
    return this.putSession(
      credentials,
      ssid,
      { expires_at: '+6h' },
      'Failed to change expiration time',
    );
  }

  /** `/Inventory` with a key: `[hostname, ssid]` per node of the tenant's active sessions. */
  async inventory(credentials: Credentials): Promise<LegacyAnswer> {
    const sessions = await this.listSessions(credentials);
    if (!Array.isArray(sessions)) return sessions;
    return ok(
      sessions.flatMap((s) =>
        s.nodes.map((n): KeyedInventoryRow => [this.mangle(n.hostname), s.id]),
      ),
    );
  }

  /**
   * `/Inventory` without a key: the old v2 rows of every active session. REST v1 lists them only
   * for an admin (W-S1), so this needs `metaclient.auth`; without it the original's failure.
   */
  async inventoryAll(): Promise<LegacyAnswer> {
    const admin = this.config.auth;
    if (!admin) {
      return failed(
        'Failed to retrieve inventory of nodes',
        'no_metaclient_auth',
        'key-less /Inventory needs metaclient.auth (an admin tenant)',
      );
    }
    const sessions = await this.listSessions(admin, 'no_metaclient_auth');
    if (!Array.isArray(sessions)) return sessions;
    return ok(
      sessions.flatMap((s) =>
        s.nodes.map((n): InventoryRow => [
          n.id,
          this.mangle(n.hostname),
          n.ipaddr,
          null,
          0,
          n.state,
          String(s.id),
          null,
          null,
          null,
          null,
          n.pool,
          null,
          null,
        ]),
      ),
    );
  }

  private async listSessions(
    credentials: Credentials,
    authReason?: string,
  ): Promise<SessionBody[] | LegacyAnswer> {
    const text = 'Failed to retrieve inventory of nodes';
    try {
      const answer = await this.upstream.call('GET', '/sessions', credentials, {
        timeoutMs: this.options.timeoutMs,
      });
      if (answer.status === 200) {
        const sessions = (answer.body as SessionListAnswer).sessions;
        return sessions.filter((s) => s.active);
      }
      if ((answer.status === 401 || answer.status === 403) && authReason === undefined) {
        return invalidKey(`GET /sessions: ${answer.status}`);
      }
      const reason =
        answer.status === 401 || answer.status === 403
          ? authReason!
          : reasonOf(answer.status, upstreamCode(answer));
      return failed(text, reason, `GET /sessions: ${answer.status} ${detailOf(answer.body)}`);
    } catch (error) {
      if (!(error instanceof UpstreamUnavailable)) throw error;
      return failed(text, error.reason, error.message);
    }
  }

  private async putSession(
    credentials: Credentials,
    ssid: string,
    body: Record<string, unknown>,
    failure: string,
  ): Promise<LegacyAnswer> {
    try {
      const answer = await this.upstream.call(
        'PUT',
        `/sessions/${encodeURIComponent(ssid)}`,
        credentials,
        { body, timeoutMs: this.options.timeoutMs },
      );
      if (answer.status === 200) return ok('Done');
      const reason = reasonOf(answer.status, upstreamCode(answer));
      const detail = `PUT /sessions/${ssid}: ${answer.status} ${detailOf(answer.body)}`;
      // Only refused credentials are "Invalid duffy key"; a valid key on another tenant's
      // session gets the original's 200 failure text (its api answered that with a non-auth error).
      if (reason === 'auth') return invalidKey(detail);
      return failed(failure, reason, detail);
    } catch (error) {
      if (!(error instanceof UpstreamUnavailable)) throw error;
      return failed(failure, error.reason, error.message);
    }
  }

  /**
   * W-L1: the caller gets a failure, so nothing it cannot see may stay allocated. The same
   * Idempotency-Key returns the session the timed-out request created (or creates one), which
   * is then retired. Best effort: a failure here is logged, the session then expires.
   */
  private async retireAfterTimeout(
    credentials: Credentials,
    body: unknown,
    idempotencyKey: string,
  ): Promise<void> {
    try {
      const again = await this.upstream.call('POST', '/sessions', credentials, {
        body,
        timeoutMs: this.options.allocateTimeoutMs,
        headers: { 'idempotency-key': idempotencyKey },
      });
      const id = (again.body as { session?: { id?: unknown } } | undefined)?.session?.id;
      if (again.status !== 201 || typeof id !== 'number') {
        this.options.log(`after timeout: no session to retire (${again.status})`);
        return;
      }
      const put = await this.upstream.call('PUT', `/sessions/${id}`, credentials, {
        body: { active: false },
        timeoutMs: this.options.timeoutMs,
      });
      this.options.log(`after timeout: retired session ${id} (${put.status})`);
    } catch (error) {
      this.options.log(`after timeout: cannot retire: ${(error as Error).message}`);
    }
  }

  private mangle(hostname: string | null): string | null {
    return mangleHostname(this.config.mangleHostname, hostname);
  }
}

function detailOf(body: unknown): string {
  const detail = (body as Partial<ProblemBody> | undefined)?.detail;
  return typeof detail === 'string' ? detail : '';
}
