import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { QueueStandingBody, SessionStreamEventBody } from '@app/contracts';
import { writeSessionEvents, type SessionEventSource } from './session-event-stream';

// The stream's timing over a real socket on 127.0.0.1, with an in-memory log as its source
// (what the e2e spec cannot wait for: 15 s keepalives, the work after a client left).

const entry = (position: number, type: string, state = 'active'): SessionStreamEventBody =>
  ({
    position,
    stream: 'session-1',
    revision: position,
    time: new Date(0).toISOString(),
    type,
    actor: 'alice',
    actor_kind: 'tenant',
    correlation_id: null,
    summary: type,
    data: {},
    state,
  }) as SessionStreamEventBody;

/** A log that grows when the test says so; counts every read. */
class MemorySource implements SessionEventSource {
  log: SessionStreamEventBody[] = [];
  standings: (QueueStandingBody | undefined)[] = [];
  reads = 0;
  private wake: (() => void) | undefined;

  append(e: SessionStreamEventBody): void {
    this.log.push(e);
    this.wake?.();
  }

  async checkpoint(): Promise<number> {
    this.reads++;
    return this.log.at(-1)?.position ?? 0;
  }

  async entries(): Promise<SessionStreamEventBody[]> {
    return [...this.log];
  }

  isEnd(e: SessionStreamEventBody): boolean {
    return e.type === 'SessionRetired';
  }

  async standing(): Promise<QueueStandingBody | undefined> {
    this.reads++;
    return this.standings.length > 1 ? this.standings.shift() : this.standings[0];
  }

  waitPast(position: number, timeoutMs: number): Promise<boolean> {
    this.reads++;
    if ((this.log.at(-1)?.position ?? 0) > position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve((this.log.at(-1)?.position ?? 0) > position);
      };
    });
  }
}

const TIMING = { keepaliveMs: 150, minReadIntervalMs: 10, waitSliceMs: 50 };

describe('writeSessionEvents', () => {
  let server: Server;
  let url: string;
  let source: MemorySource;
  let finished: Promise<void>;

  beforeEach(async () => {
    source = new MemorySource();
    let done: () => void;
    finished = new Promise<void>((r) => (done = r));
    server = createServer((_, res) => void writeSessionEvents(res, source, 0, TIMING).then(done));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  /** Reads the body until `stop` holds for what came so far (bounded). */
  async function readUntil(
    reader: ReadableStreamDefaultReader<Uint8Array>,
    stop: (text: string) => boolean,
  ): Promise<string> {
    let text = '';
    const deadline = Date.now() + 5_000;
    while (!stop(text)) {
      if (Date.now() > deadline) throw new Error(`stopped waiting; got ${JSON.stringify(text)}`);
      const { done, value } = await reader.read();
      if (done) return text;
      text += Buffer.from(value).toString('utf8');
    }
    return text;
  }

  it('sends what exists, then what comes, then ends after the end', async () => {
    source.log.push(entry(3, 'SessionRequested', 'requested'));
    const res = await fetch(url);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const first = await readUntil(reader, (t) => t.includes('\n\n'));
    expect(first).toBe(
      `id: 3\nevent: SessionRequested\ndata: ${JSON.stringify(source.log[0])}\n\n`,
    );
    source.append(entry(5, 'SessionActivated'));
    source.append(entry(8, 'SessionRetired', 'retired'));
    source.append(entry(9, 'TenantNodesReturned', 'retired'));
    const rest = await readUntil(reader, () => false);
    expect(rest.match(/^id: \d+$/gm)).toEqual(['id: 5', 'id: 8']);
    await finished;
  });

  it('a keepalive comment once nothing was sent for that long', async () => {
    const res = await fetch(url);
    const reader = res.body!.getReader();
    const text = await readUntil(reader, (t) => t.includes(': keepalive\n\n'));
    expect(text).toBe(': keepalive\n\n');
    await reader.cancel();
  });

  it('a queued session: its place once, then only when it differs', async () => {
    const place = (position: number) => ({
      position,
      ahead_nodes: position - 1,
      eta: null,
      deadline: new Date(0).toISOString(),
    });
    source.standings = [place(2), place(2), place(2), place(1)];
    source.log.push(entry(7, 'SessionQueued', 'queued'));
    const reader = (await fetch(url)).body!.getReader();
    const text = await readUntil(reader, (t) => t.includes('{"position":1'));
    const queue = text.split('\n\n').filter((block) => block.startsWith('event: queue\n'));
    expect(queue.map((block) => JSON.parse(block.split('data: ')[1]))).toEqual([
      place(2),
      place(1),
    ]);
    await reader.cancel();
  });

  it('stops reading the source soon after the client goes', async () => {
    const abort = new AbortController();
    const res = await fetch(url, { signal: abort.signal });
    await readUntil(res.body!.getReader(), (t) => t.includes('keepalive'));
    abort.abort();
    await finished; // the writer returned: nothing of it is left waiting
    const reads = source.reads;
    await new Promise((r) => setTimeout(r, 4 * TIMING.waitSliceMs));
    expect(source.reads).toBe(reads);
  });

  it('a source failing after the headers cuts the connection', async () => {
    source.entries = async () => {
      throw new Error('database gone');
    };
    const res = await fetch(url);
    await expect(res.text()).rejects.toThrow();
    await finished;
  });
});
