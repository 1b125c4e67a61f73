import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  followSse,
  parseSse,
  SseDroppedError,
  SseStatusError,
  type SseEvent,
} from './sse-client.js';

/** Chunks as a body, to feed the parser splits it would meet on a socket. */
async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield new TextEncoder().encode(part);
}

async function parsed(...parts: string[]) {
  const out = [];
  for await (const field of parseSse(chunks(...parts))) out.push(field);
  return out;
}

describe('parseSse', () => {
  it('dispatches on blank lines, keeps ids, skips comments and data-less events', async () => {
    expect(
      await parsed(
        ': keepalive\n\n',
        'id: 7\nevent: NodeReserved\ndata: {"a":1}\n\n',
        'event: queue\ndata: {"position":2}\n\n',
        'event: empty\n\n',
        'data: one\ndata:two\n\n',
      ),
    ).toEqual([
      { id: '7', event: 'NodeReserved', data: '{"a":1}' },
      { id: '7', event: 'queue', data: '{"position":2}' },
      { id: '7', event: 'message', data: 'one\ntwo' },
    ]);
  });

  it('reads lines split across chunks, CRLF split between two, and retry values', async () => {
    expect(
      await parsed('id: 1', '2\r', '\nevent: x\rdata: {"b"', ':2}\r\n\r\n', 'retry: 250\n'),
    ).toEqual([{ id: '12', event: 'x', data: '{"b":2}' }, { retry: 250 }]);
  });

  it('ignores an event cut off by the end of the stream', async () => {
    expect(await parsed('id: 3\nevent: x\ndata: {}\n')).toEqual([]);
  });
});

describe('followSse', () => {
  let server: Server;
  let url = '';
  /** What each connection sent as Last-Event-ID, in order. */
  const resumes: (string | undefined)[] = [];
  let handler: (req: IncomingMessage, res: ServerResponse, attempt: number) => void;

  beforeAll(async () => {
    server = createServer((req, res) => {
      resumes.push(req.headers['last-event-id'] as string | undefined);
      handler(req, res, resumes.length);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  });

  afterAll(() => new Promise((r) => server.close(r)));

  beforeEach(() => {
    resumes.length = 0;
  });

  const open = (res: ServerResponse) =>
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });

  it('reconnects after a dropped connection with Last-Event-ID and stops when told', async () => {
    handler = (req, res, attempt) => {
      open(res);
      if (attempt === 1) {
        res.write('id: 4\nevent: SessionQueued\ndata: {"n":4}\n\n');
        res.write('event: queue\ndata: {"position":1}\n\n');
        // Dropped mid-event: the half event must not be dispatched.
        res.write('id: 5\nevent: NodeRes');
        setTimeout(() => res.destroy(), 20);
      } else {
        res.write(': keepalive\n\n');
        res.write('id: 5\nevent: NodeReserved\ndata: {"n":5}\n\n');
        res.write('id: 6\nevent: SessionActivated\ndata: {"n":6}\n\n');
        // Left open: the client stops on its own.
      }
    };
    const seen: SseEvent[] = [];
    const outcome = await followSse(
      url,
      (e) => {
        seen.push(e);
        return e.event === 'SessionActivated';
      },
      { retryMs: 10, headers: { authorization: 'Basic x' } },
    );
    expect(outcome).toBe('stopped');
    expect(seen.map((e) => `${e.id} ${e.event} ${e.data}`)).toEqual([
      '4 SessionQueued {"n":4}',
      '4 queue {"position":1}',
      '5 NodeReserved {"n":5}',
      '6 SessionActivated {"n":6}',
    ]);
    expect(resumes).toEqual([undefined, '4']);
  }, 10_000);

  it('starts from a given id, and gives up after the retries when every connection fails', async () => {
    handler = (_req, res) => {
      open(res);
      res.end();
    };
    await expect(
      followSse(url, () => false, { lastEventId: '9', retries: 2, retryMs: 5 }),
    ).rejects.toThrow(SseDroppedError);
    expect(resumes).toEqual(['9', '9', '9']);
  }, 10_000);

  it('counts a silent connection as dropped', async () => {
    handler = (_req, res, attempt) => {
      open(res);
      if (attempt === 2) res.write('id: 1\nevent: done\ndata: {}\n\n');
      // attempt 1 says nothing at all
    };
    const events: string[] = [];
    await followSse(url, (e) => (events.push(e.event), true), { idleMs: 100, retryMs: 5 });
    expect(events).toEqual(['done']);
    expect(resumes.length).toBe(2);
  }, 10_000);

  it('throws a 4xx answer at once, without retrying', async () => {
    handler = (_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end('{"detail": "Forbidden"}');
    };
    const failure = followSse(url, () => true, { retryMs: 5 });
    await expect(failure).rejects.toThrow(SseStatusError);
    await expect(failure).rejects.toMatchObject({ status: 403 });
    expect(resumes.length).toBe(1);
  });

  it('resolves aborted when its signal aborts while the stream is open', async () => {
    handler = (_req, res) => {
      open(res);
      res.write(': keepalive\n\n');
    };
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(followSse(url, () => false, { signal: controller.signal })).resolves.toBe(
      'aborted',
    );
  }, 10_000);
});
