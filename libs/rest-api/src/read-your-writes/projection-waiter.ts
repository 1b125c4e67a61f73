import { Client } from 'pg';
import { CHECKPOINT_CHANNEL } from '@app/read-models';

/**
 * Waits for the read models to reach a point: the projector NOTIFYs its checkpoint after each
 * commit; this listens on one connection and re-checks on each notification (and on a short
 * poll, in case the connection is down). Bounded: the caller decides what a timeout means.
 */
export class ProjectionWaiter {
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private readonly listeners = new Set<() => void>();
  private closed = false;
  /** The highest checkpoint a notification (or a read) has told of. */
  private known = 0;

  constructor(
    private readonly url: string,
    private readonly pollMs = 200,
    private readonly connectTimeoutMs = 2_000,
  ) {}

  /**
   * True when `done()` became true before the timeout. The LISTEN connection is only a faster
   * wake-up: it is set up in the background, so the first wait after a start (when there is no
   * connection yet) answers as soon as `done()` holds instead of after the connection attempt,
   * which may take the whole bound when the server is slow to accept.
   */
  async until(done: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    void this.listen();
    for (;;) {
      if (await done()) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await this.nextNotification(Math.min(left, this.pollMs));
    }
  }

  /**
   * True when the projection's checkpoint reached `position` before the timeout. The
   * checkpoint NOTIFY carries the position, so any number of waiters cost no query per
   * notification: `read` is asked only at the start and after a wait no notification ended
   * (no LISTEN connection, or a NOTIFY missed while it reconnected).
   */
  async untilCheckpoint(
    position: number,
    read: () => Promise<number>,
    timeoutMs: number,
  ): Promise<boolean> {
    if (this.known >= position) return true;
    const deadline = Date.now() + timeoutMs;
    void this.listen();
    for (let ask = true; ;) {
      if (ask) this.learn(await read());
      if (this.known >= position) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      ask = !(await this.nextNotification(Math.min(left, this.pollMs)));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private learn(checkpoint: number): void {
    if (Number.isFinite(checkpoint) && checkpoint > this.known) this.known = checkpoint;
  }

  /** Resolves true when a notification came, false after the timeout. */
  private nextNotification(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (notified: boolean) => {
        clearTimeout(timer);
        this.listeners.delete(woken);
        resolve(notified);
      };
      const woken = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.listeners.add(woken);
    });
  }

  private listen(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= (async () => {
      const client = new Client({
        connectionString: this.url,
        application_name: 'duffy-api-checkpoint',
        connectionTimeoutMillis: this.connectTimeoutMs,
      });
      try {
        client.on('error', () => {
          if (this.client === client) this.client = undefined;
        });
        client.on('end', () => {
          if (this.client === client) this.client = undefined;
        });
        client.on('notification', (message) => {
          this.learn(Number(message.payload));
          for (const wake of [...this.listeners]) wake();
        });
        await client.connect();
        await client.query(`LISTEN ${CHECKPOINT_CHANNEL}`);
        if (this.closed) await client.end();
        else this.client = client;
      } catch {
        await client.end().catch(() => undefined); // polling still works
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }
}
