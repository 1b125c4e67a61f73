import type { PGlite } from '@electric-sql/pglite';
import { quotedChannel } from './listen-statements';
import { NotificationRouter } from './notification-router';
import {
  BackendMessageSplitter,
  IDLE,
  NOTIFICATION_RESPONSE,
  READY_FOR_QUERY,
  TERMINATE,
  readyStatus,
  simpleQuery,
  sqlText,
  sync,
} from './wire-protocol';

interface Job {
  connectionId: number;
  /** Runs the job; settles its caller itself and never rejects, so the queue cannot stall. */
  run(): Promise<void>;
  /** Settles the caller without running (its connection went away). */
  drop(reason: Error): void;
}

/**
 * The queue in front of PGlite's single backend session, used by pglite-socket's
 * PGLiteSocketHandler in place of its QueryQueueManager.
 *
 * The stock queue serialises single messages and pins a connection only inside a transaction
 * block, so Parse/Bind/Execute/Sync batches of two connections interleave and clobber the
 * unnamed statement (electric-sql/pglite#1046). Here a connection that starts a message owns the
 * session until PGlite answers it with ReadyForQuery 'I' (idle): a whole extended-protocol batch
 * and a whole transaction run with nobody else's messages in between. Others wait in FIFO order.
 */
export class SessionOwnershipQueue {
  private readonly jobs: Job[] = [];
  private owner: number | null = null;
  private running = false;
  private output = new BackendMessageSplitter();
  /** Channels to LISTEN to again at the next batch boundary (see NotificationRouter.observe). */
  private relisten: string[] = [];

  constructor(
    private readonly db: PGlite,
    private readonly notifications: NotificationRouter,
  ) {}

  /** The PGLiteSocketHandler contract: runs one frontend message, streams the output to onData. */
  enqueue(
    connectionId: number,
    message: Uint8Array,
    onData: (data: Uint8Array) => void,
  ): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.jobs.push({
        connectionId,
        run: () => this.execute(connectionId, message, onData).then(resolve, reject),
        drop: reject,
      });
      this.pump();
    });
  }

  /** Called when a connection detaches: its waiting messages will never run. */
  clearQueueForHandler(connectionId: number): void {
    for (let i = this.jobs.length - 1; i >= 0; i--) {
      if (this.jobs[i].connectionId !== connectionId) continue;
      const [job] = this.jobs.splice(i, 1);
      job.drop(new Error('connection closed'));
    }
  }

  /**
   * Called when a connection detaches, after clearQueueForHandler. If it owns the session
   * (mid-batch or mid-transaction) its work is rolled back and the session handed on.
   */
  clearTransactionIfNeeded(connectionId: number): Promise<void> {
    this.notifications.forget(connectionId);
    if (this.owner !== connectionId) return Promise.resolve();
    return new Promise<void>((resolve) => {
      // First in line: it runs as soon as the owner's in-flight message (if any) finishes.
      this.jobs.unshift({
        connectionId,
        run: async () => {
          if (this.owner === connectionId) await this.resetSession();
          resolve();
        },
        drop: () => resolve(),
      });
      this.pump();
    });
  }

  get waiting(): number {
    return this.jobs.length;
  }

  /** Resolves once no message is running or waiting (before PGlite may be closed). */
  async idle(): Promise<void> {
    while (this.running || this.jobs.length) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  private pump(): void {
    if (this.running) return;
    const index =
      this.owner === null ? 0 : this.jobs.findIndex((job) => job.connectionId === this.owner);
    if (index < 0 || index >= this.jobs.length) return;
    const [job] = this.jobs.splice(index, 1);
    this.running = true;
    void job.run().finally(() => {
      this.running = false;
      this.pump();
    });
  }

  private async execute(
    connectionId: number,
    message: Uint8Array,
    onData: (data: Uint8Array) => void,
  ): Promise<number> {
    // Terminate would end PGlite's one session for everybody; the socket closing cleans up.
    if (message[0] === TERMINATE && message.length === 5) return 0;
    const sql = sqlText(message);
    if (sql !== undefined) this.relisten.push(...this.notifications.observe(connectionId, sql));

    this.owner = connectionId;
    let status: number | undefined;
    let written = 0;
    try {
      await this.run(message, (messages) => {
        const out: Buffer[] = [];
        for (const each of messages) {
          if (each[0] === NOTIFICATION_RESPONSE) {
            this.notifications.deliver(each, connectionId, (own) => out.push(own));
            continue;
          }
          if (each[0] === READY_FOR_QUERY) status = readyStatus(each);
          out.push(each);
        }
        if (!out.length) return;
        const data = Buffer.concat(out);
        written += data.length;
        onData(data);
      });
    } catch (error) {
      // Only this caller fails (its handler then drops the connection); the session is reset.
      await this.resetSession();
      throw error;
    }
    if (status !== undefined) {
      if (this.relisten.length) await this.listenAgain();
      if (status === IDLE) this.owner = null;
    }
    return written;
  }

  /** Ends any half-sent batch and open transaction, and frees the session. */
  private async resetSession(): Promise<void> {
    this.output = new BackendMessageSplitter();
    try {
      await this.run(sync());
      if (this.db.isInTransaction()) await this.run(simpleQuery('ROLLBACK'));
    } catch {
      // Nothing more to try; the queue must move on regardless.
    }
    this.output = new BackendMessageSplitter();
    this.owner = null;
  }

  private async listenAgain(): Promise<void> {
    const channels = this.relisten.splice(0);
    const sql = channels.map((channel) => `LISTEN ${quotedChannel(channel)}`).join('; ');
    await this.run(simpleQuery(sql)).catch(() => undefined);
  }

  /** One message through PGlite; output without a consumer is discarded. */
  private async run(message: Uint8Array, onMessages?: (messages: Buffer[]) => void): Promise<void> {
    await this.db.runExclusive(() =>
      this.db.execProtocolRawStream(message, {
        onRawData: (chunk) => {
          const messages = this.output.push(chunk);
          if (messages.length) onMessages?.(messages);
        },
      }),
    );
  }
}
