import { EventFilter, RecordedEvent, Subscription } from '../event-store.port';
import { EventRow, readAllParams, subscriptionReadSql, toRecordedEvent } from './event-rows';
import { SqlRunner, SqlSession } from './sql-runner';

const MIN_SETTLE_WAIT_MS = 2;
const MAX_SETTLE_WAIT_MS = 50;

export interface SqlSubscriptionOptions {
  schema: string;
  channel: string;
  after: number;
  filter?: EventFilter;
  /** Session name (PostgreSQL application_name) so operators and tests can find its backend. */
  sessionName: string;
  batchSize?: number;
  /** Re-read even without a NOTIFY this often: a safety net, not the wake-up path. */
  pollMs?: number;
  /** Wait before reconnecting after a lost connection. */
  reconnectMs?: number;
  /** Called once when the subscription ends (closed, or the consumer stopped iterating). */
  onEnded?: () => void;
}

/**
 * Catch-up subscription over SQL: reads pages after its checkpoint (the last delivered position),
 * then sleeps until a NOTIFY. Only settled rows are delivered and positions follow transaction ids
 * (see migrations.ts, event-rows.ts), so reading `position > checkpoint` never skips a row. A lost
 * connection is replaced and reading resumes after the checkpoint: nothing missed, nothing twice.
 */
export class SqlSubscription implements Subscription {
  private session: SqlSession | undefined;
  private closed = false;
  /** A NOTIFY (or a reconnect) arrived since the last read began. */
  private woken = true;
  private wake: (() => void) | undefined;
  private iterating = false;

  constructor(
    private readonly runner: SqlRunner,
    private readonly options: SqlSubscriptionOptions,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.iterating) throw new Error('a subscription can be iterated only once');
    this.iterating = true;
    return this.run();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await this.dropSession();
    this.options.onEnded?.();
  }

  private async *run(): AsyncGenerator<RecordedEvent> {
    const { schema, filter, batchSize = 500, pollMs = 2000, reconnectMs = 100 } = this.options;
    const sql = subscriptionReadSql(schema);
    let checkpoint = this.options.after;
    let settleWaitMs = MIN_SETTLE_WAIT_MS;
    try {
      while (!this.closed) {
        let rows: (EventRow & { settled: boolean })[];
        try {
          const session = await this.connectedSession();
          this.woken = false;
          rows = await session.query(sql, readAllParams(checkpoint, batchSize, filter));
        } catch {
          if (this.closed) return;
          await this.dropSession();
          await this.sleep(reconnectMs);
          continue;
        }
        let unsettled = false;
        for (const row of rows) {
          if (this.closed) return;
          if (!row.settled) {
            unsettled = true;
            break;
          }
          settleWaitMs = MIN_SETTLE_WAIT_MS;
          const event = toRecordedEvent(row);
          checkpoint = event.position;
          yield event;
        }
        if (unsettled) {
          // Committed but held back by an older open transaction: look again soon, backing off.
          await this.sleep(settleWaitMs);
          settleWaitMs = Math.min(settleWaitMs * 2, MAX_SETTLE_WAIT_MS);
        } else if (rows.length < batchSize && !this.woken) {
          await this.sleep(pollMs);
        }
      }
    } finally {
      this.closed = true;
      await this.dropSession();
      this.options.onEnded?.();
    }
  }

  private async connectedSession(): Promise<SqlSession> {
    if (this.session) return this.session;
    const session = await this.runner.openSession(this.options.sessionName);
    session.onLost(() => {
      if (this.session === session) this.session = undefined;
      this.woken = true;
      this.wake?.();
    });
    try {
      await session.listen(this.options.channel, () => {
        this.woken = true;
        this.wake?.();
      });
    } catch (error) {
      await session.close().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await session.close().catch(() => undefined);
      throw new Error('subscription closed');
    }
    this.session = session;
    return session;
  }

  private async dropSession(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await session?.close().catch(() => undefined);
  }

  /** Sleeps until woken by a NOTIFY, a lost connection, close(), or the timeout. */
  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      const wake = () => done();
      this.wake = wake;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    }).then(() => {
      this.wake = undefined;
    });
  }
}
