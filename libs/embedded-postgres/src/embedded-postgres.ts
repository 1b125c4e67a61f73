import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler, PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';
import { AddressInfo, Server, Socket, createServer } from 'node:net';
import { NotificationRouter } from './notification-router';
import { SessionOwnershipQueue } from './session-ownership-queue';

export interface EmbeddedPostgresOptions {
  /** Database folder; created on first use. Omit for an in-memory database. */
  dataDir?: string;
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** TCP port; 0 (the default) picks any free port. */
  port?: number;
  /** Client connections accepted at once; default 100. */
  maxConnections?: number;
}

/**
 * PostgreSQL for machines that have only Node: PGlite (one embedded backend) behind a TCP server
 * speaking the wire protocol, so `pg`, pools and TypeORM connect to it by URL. See README.md for
 * how it differs from a real server.
 */
export class EmbeddedPostgres {
  private readonly handlers = new Map<PGLiteSocketHandler, Socket>();
  private stopped = false;

  private constructor(
    private readonly db: PGlite,
    private readonly server: Server,
    private readonly queue: SessionOwnershipQueue,
    private readonly notifications: NotificationRouter,
    private readonly maxConnections: number,
    /** Connection URL for `pg` and TypeORM. */
    readonly url: string,
  ) {
    server.on('connection', (socket) => this.accept(socket));
  }

  static async start(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
    const host = options.host ?? '127.0.0.1';
    const db = await PGlite.create(options.dataDir);
    const notifications = new NotificationRouter();
    const server = createServer();
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, host, () => resolve());
      });
    } catch (error) {
      await db.close();
      throw error;
    }
    const { port } = server.address() as AddressInfo;
    return new EmbeddedPostgres(
      db,
      server,
      new SessionOwnershipQueue(db, notifications),
      notifications,
      options.maxConnections ?? 100,
      `postgresql://postgres@${host.includes(':') ? `[${host}]` : host}:${port}/postgres`,
    );
  }

  /** Open client connections. */
  get connections(): number {
    return this.handlers.size;
  }

  /** Closes every connection and the listening socket, then PGlite (flushing dataDir). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.all([...this.handlers.keys()].map((handler) => handler.detach(true)));
    for (const socket of this.handlers.values()) socket.destroy();
    this.handlers.clear();
    await closed;
    await this.queue.idle();
    await this.db.close();
  }

  private accept(socket: Socket): void {
    if (this.stopped || this.handlers.size >= this.maxConnections) {
      socket.end();
      return;
    }
    const handler = new PGLiteSocketHandler({
      // The handler's option is typed as pglite-socket's own queue class; it only calls enqueue,
      // clearQueueForHandler and clearTransactionIfNeeded, which ours provides.
      queryQueue: this.queue as unknown as PGLiteSocketHandlerOptions['queryQueue'],
      closeOnDetach: true,
    });
    this.handlers.set(handler, socket);
    this.notifications.register(handler.handlerId, (message) => {
      if (socket.writable) socket.write(message);
    });
    const forget = () => this.handlers.delete(handler);
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    handler.attach(socket).catch(() => {
      forget();
      socket.destroy();
    });
  }
}
