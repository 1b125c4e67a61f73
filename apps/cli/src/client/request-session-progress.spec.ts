import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDuffy } from '../program.js';
import { captureIo } from '../testing/capture-io.js';
import type { TerminalIo } from './request-progress.js';

// `duffy client request-session` end to end against a stand-in API whose POST takes a while.
describe('duffy client request-session progress', () => {
  let server: Server;
  let url = '';
  const seen: string[] = [];
  const session = '{"action": "post", "session": {"id": 5, "nodes": []}}';
  const pool =
    '{"action": "get", "pool": {"name": "demo-small", "fill-level": 2, "levels": {"provisioning": 0, "ready": 0, "contextualizing": 2, "deployed": 0, "deprovisioning": 0}}}';

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      req.resume();
      req.on('end', () => {
        const answer = (status: number, body: string) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(body);
        };
        if (req.method === 'POST') setTimeout(() => answer(201, session), 1_200);
        else answer(200, pool);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  });

  afterAll(() => new Promise((r) => server.close(r)));

  beforeEach(() => {
    seen.length = 0;
  });

  const argv = () => [
    'client',
    'request-session',
    '--url',
    url,
    '--auth-name',
    'me',
    '--auth-key',
    'k',
    'pool=demo-small,quantity=2',
  ];
  const io = (terminal: boolean) => {
    const c = captureIo({ XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'duffy-progress-')) });
    const withTerminal: TerminalIo = terminal ? { ...c.io, stderrIsTty: true } : c.io;
    return { ...c, io: withTerminal };
  };

  it('prints only the result in a pipe, and sends nothing but the request', async () => {
    const c = io(false);
    expect(await runDuffy(argv(), c.io)).toBe(0);
    expect(c.stdout()).toBe(`${session}\n`);
    expect(c.stderr()).toBe('');
    expect(seen).toEqual(['POST /api/v1/sessions']);
  }, 10_000);

  it('shows the polled phase on a terminal, erased before the result', async () => {
    const c = io(true);
    expect(await runDuffy(argv(), c.io)).toBe(0);
    expect(c.stdout()).toBe(`${session}\n`);
    expect(c.stderr()).toContain(
      'requesting 2 node(s) from demo-small… waiting for nodes: 2 contextualizing',
    );
    expect(c.stderr().endsWith('\r\x1b[2K')).toBe(true);
    expect(seen).toContain('GET /api/v1/pools/demo-small');
  }, 10_000);
});
