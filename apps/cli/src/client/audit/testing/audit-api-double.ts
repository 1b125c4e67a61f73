import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HistoryEntryBody } from '../../../../../../libs/contracts/src/rest/bodies.js';

export interface SeenRequest {
  method?: string;
  url: string;
  accept?: string;
  auth?: string;
}

/**
 * A double of the Duffy REST API's audit endpoints on 127.0.0.1: fixed answers by path
 * (`answers`), and `GET /events` paged over `log` as the contract says (`after`, `limit`,
 * `next_after`), or as JSON lines in several chunks when asked for `application/x-ndjson`.
 */
export class AuditApiDouble {
  readonly seen: SeenRequest[] = [];
  /** `METHOD /path?query` → [status, body]. */
  readonly answers = new Map<string, [number, unknown]>();
  log: HistoryEntryBody[] = [];
  /** Page size when the request names none. */
  pageSize = 100;
  /** A status and problem for every /events request instead of the log. */
  eventsProblem?: [number, unknown];
  /** Awaited after the first JSON line of an export: the rest waits until the test says. */
  exportPause?: Promise<void>;
  url = '';
  private server?: Server;

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.answer(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/v1`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server?.close(() => r()) ?? r());
  }

  /** The path (with query) of every /api/v1 request seen, in order. */
  paths(): string[] {
    return this.seen.map((s) => s.url.replace(/^\/api\/v1/, ''));
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '';
    this.seen.push({
      method: req.method,
      url,
      accept: req.headers.accept,
      auth: req.headers.authorization,
    });
    const path = url.replace(/^\/api\/v1/, '');
    const fixed = this.answers.get(`${req.method} ${path}`);
    if (fixed) return json(res, ...fixed);
    if (req.method === 'GET' && path.startsWith('/events')) {
      if (this.eventsProblem) return json(res, ...this.eventsProblem);
      const query = new URL(url, 'http://x').searchParams;
      const after = Number(query.get('after') ?? 0);
      const limit = query.has('limit') ? Number(query.get('limit')) : undefined;
      const matching = this.log.filter((e) => e.position > after);
      if (req.headers.accept === 'application/x-ndjson') {
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        for (const [i, e] of matching.slice(0, limit).entries()) {
          if (i === 1) await this.exportPause;
          // Each line in two chunks, so the client must not assume whole lines per chunk.
          const line = `${JSON.stringify(e)}\n`;
          res.write(line.slice(0, 10));
          await new Promise((r) => setTimeout(r, 1));
          res.write(line.slice(10));
        }
        res.end();
        return;
      }
      const events = matching.slice(0, limit ?? this.pageSize);
      const nextAfter = events.length ? events[events.length - 1].position : after;
      return json(res, 200, { action: 'get', events, next_after: nextAfter });
    }
    json(res, 404, { code: 'not_found', detail: `no such thing: ${path}` });
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
