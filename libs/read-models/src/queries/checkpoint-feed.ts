import { Client } from 'pg';
import { CHECKPOINT_CHANNEL } from '../projection/projection-writer';

/** Tells whether the read models may have changed since an earlier look. */
export interface ReadModelChanges {
  /**
   * A number that changes whenever the read models may have changed: on every checkpoint the
   * projector notifies, and whenever a notification may have been missed. Undefined while
   * changes are not being told of (no LISTEN connection): nothing read may then be kept.
   */
  version(): number | undefined;
}

/**
 * The projector's checkpoint NOTIFY (sent after each commit), on a LISTEN connection of its
 * own. Connected on first use; a lost connection makes `version()` undefined until it is back,
 * and it is tried again at most every `retryMs`.
 */
export class CheckpointFeed implements ReadModelChanges {
  private client: Client | undefined;
  private connecting = false;
  private live = false;
  private closed = false;
  private counter = 0;
  private known = 0;
  private retryAt = 0;

  constructor(
    private readonly url: string,
    private readonly onClose: () => void = () => undefined,
    private readonly retryMs = 1_000,
    private readonly connectTimeoutMs = 2_000,
  ) {}

  version(): number | undefined {
    if (!this.live) this.connect();
    return this.live ? this.counter : undefined;
  }

  /**
   * A checkpoint this process read with a query: when it is ahead of the notifications seen so
   * far, the change counts at once, before its notification arrives.
   */
  learn(position: number): void {
    if (position > this.known) this.changed(position);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.live = false;
    this.onClose();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private changed(position?: number): void {
    this.counter++;
    if (position !== undefined && position > this.known) this.known = position;
  }

  private connect(): void {
    if (this.client || this.connecting || this.closed || Date.now() < this.retryAt) return;
    this.connecting = true;
    const client = new Client({
      connectionString: this.url,
      application_name: 'duffy-api-read-model-changes',
      connectionTimeoutMillis: this.connectTimeoutMs,
    });
    const lost = () => {
      if (this.client !== client) return;
      this.client = undefined;
      this.live = false;
      this.changed();
      this.retryAt = Date.now() + this.retryMs;
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => {
      const position = Number(message.payload);
      this.changed(Number.isFinite(position) ? position : undefined);
    });
    void (async () => {
      try {
        await client.connect();
        await client.query(`LISTEN ${CHECKPOINT_CHANNEL}`);
        if (this.closed) throw new Error('closed');
        this.client = client;
        // Whatever changed before LISTEN took effect was not told of: count it as a change.
        this.changed();
        this.live = true;
      } catch {
        this.retryAt = Date.now() + this.retryMs;
        await client.end().catch(() => undefined);
      } finally {
        this.connecting = false;
      }
    })();
  }
}
