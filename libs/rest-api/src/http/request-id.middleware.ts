import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Every response carries `X-Request-Id`, as the original's do, so logs and clients can meet. */
export function requestId(_req: IncomingMessage, res: ServerResponse, next: () => void): void {
  res.setHeader('X-Request-Id', randomUUID());
  next();
}
