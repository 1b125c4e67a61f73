import type { ServerResponse } from 'node:http';
import { SSE_HEADERS, sseComment } from './sse-format';

/**
 * One event-stream answer: headers flushed at once, writes at the pace the client reads (a full
 * socket buffer waits for `drain`), and `gone` once the client left, which ends every wait here.
 */
export class SseResponse {
  gone: boolean;
  /** Resolves when the connection closed (the client went, or the answer ended). */
  readonly closed: Promise<void>;
  private lastWrite = Date.now();

  /** `stop` (the api shutting down) ends the answer as the end of the stream would. */
  constructor(
    private readonly res: ServerResponse,
    stop?: AbortSignal,
  ) {
    this.gone = res.destroyed;
    this.closed = new Promise((resolve) => {
      const gone = () => {
        this.gone = true;
        stop?.removeEventListener('abort', stopped);
        resolve();
      };
      const stopped = () => {
        gone();
        this.end();
      };
      // The response's 'close', not the request's: since Node 16 a request closes once read.
      res.once('close', gone);
      if (stop?.aborted) stopped();
      else stop?.addEventListener('abort', stopped);
    });
  }

  open(): void {
    this.res.writeHead(200, SSE_HEADERS);
    this.res.flushHeaders();
  }

  async write(text: string): Promise<void> {
    if (this.gone) return;
    this.lastWrite = Date.now();
    if (!this.res.write(text)) await this.drained();
  }

  /** A keepalive comment when nothing was written for `idleMs`; the time left until then. */
  async keepAlive(idleMs: number): Promise<number> {
    const left = this.lastWrite + idleMs - Date.now();
    if (left > 0) return left;
    await this.write(sseComment('keepalive'));
    return idleMs;
  }

  /** Sleeps, or less when the client goes. */
  async pause(ms: number): Promise<void> {
    if (ms <= 0 || this.gone) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise((r) => (timer = setTimeout(r, ms))), this.closed]);
    clearTimeout(timer);
  }

  /** The value, or undefined as soon as the client goes. */
  async unlessGone<T>(value: Promise<T>): Promise<T | undefined> {
    return Promise.race([value, this.closed.then(() => undefined)]);
  }

  end(): void {
    if (!this.res.writableEnded) this.res.end();
  }

  /** After the headers a failure can no longer be an answer: the connection is cut instead. */
  cut(error: unknown): void {
    this.res.destroy(error instanceof Error ? error : new Error(String(error)));
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.once('drain', done);
      this.res.once('close', done);
    });
  }
}
