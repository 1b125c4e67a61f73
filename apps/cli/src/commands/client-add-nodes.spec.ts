import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDuffy } from '../program.js';
import { captureIo } from '../testing/capture-io.js';

// `duffy client add-nodes` against a stand-in for the api on 127.0.0.1 (a test double: it
// answers 201 with a node id, or 409 for hostname `taken`) — what is sent and printed.
describe('duffy client add-nodes', () => {
  let server: Server;
  let url = '';
  const posted: { url?: string; body: unknown }[] = [];
  let dir = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'duffy-add-nodes-'));
    server = createServer((req, res) => {
      let text = '';
      req.on('data', (d: Buffer) => (text += d.toString()));
      req.on('end', () => {
        const body = JSON.parse(text) as { hostname: string };
        posted.push({ url: req.url, body });
        res.writeHead(body.hostname === 'taken' ? 409 : 201, {
          'content-type': 'application/json',
        });
        res.end(
          body.hostname === 'taken'
            ? JSON.stringify({ code: 'already_exists', detail: 'an active node already has it' })
            : JSON.stringify({ action: 'post', node: { id: 10 + posted.length } }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  });

  afterAll(() => new Promise((r) => server.close(r)));

  beforeEach(() => {
    posted.length = 0;
  });

  const run = async (file: string) => {
    const c = captureIo({ XDG_CONFIG_HOME: dir });
    const argv = ['client', 'add-nodes', file, '--url', url, '--auth-name', 'admin'];
    const code = await runDuffy([...argv, '--auth-key', 'k'], c.io);
    return { code, out: c.stdout(), err: c.stderr() };
  };

  it('posts every row, goes on after a refused one and exits 1', async () => {
    const file = join(dir, 'nodes.yaml');
    writeFileSync(
      file,
      [
        '- {hostname: n1, ipaddr: 127.0.0.11, pool: small}',
        '- {hostname: taken, ipaddr: 127.0.0.12}',
        '- {hostname: n3, ipaddr: 127.0.0.13, reusable: false}',
      ].join('\n'),
    );
    expect(await run(file)).toEqual({
      code: 1,
      out: 'OK: n1 (127.0.0.11) node 11\nOK: n3 (127.0.0.13) node 13\n',
      err: 'ERROR: line 2: taken: 409 an active node already has it\n',
    });
    expect(posted).toEqual([
      { url: '/api/v1/nodes', body: { hostname: 'n1', ipaddr: '127.0.0.11', pool: 'small' } },
      { url: '/api/v1/nodes', body: { hostname: 'taken', ipaddr: '127.0.0.12' } },
      { url: '/api/v1/nodes', body: { hostname: 'n3', ipaddr: '127.0.0.13', reusable: false } },
    ]);
  });

  it('exits 0 when every row is added', async () => {
    const file = join(dir, 'one.csv');
    writeFileSync(file, 'hostname,ipaddr\nn1,127.0.0.11\n');
    expect(await run(file)).toEqual({ code: 0, out: 'OK: n1 (127.0.0.11) node 11\n', err: '' });
  });

  it('sends nothing when a row is bad, naming file:line and field', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'hostname,ipaddr\nn1,127.0.0.11\n,not-an-ip\n');
    const result = await run(file);
    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    expect(result.err).toContain(`ERROR: ${file}:3: hostname: missing\n`);
    expect(result.err).toContain(`ERROR: ${file}:3: ipaddr: not an IP address: 'not-an-ip'\n`);
    expect(posted).toEqual([]);
  });
});
