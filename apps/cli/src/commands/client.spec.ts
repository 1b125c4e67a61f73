import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgv } from '../argv.js';
import { runDuffy } from '../program.js';
import { captureIo } from '../testing/capture-io.js';

// Argument handling of `duffy client …` against a stand-in HTTP server on 127.0.0.1 (the real
// api is exercised end to end in test/cli/client.e2e.pg.spec.ts).
describe('duffy client', () => {
  let server: Server;
  let url = '';
  const seen: { method?: string; url?: string; auth?: string; body: string }[] = [];
  let answer: { status: number; body: string } = { status: 200, body: '{}' };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  });

  afterAll(() => new Promise((r) => server.close(r)));

  beforeEach(() => {
    seen.length = 0;
  });

  const empty = () => {
    const dir = mkdtempSync(join(tmpdir(), 'duffy-client-'));
    return { XDG_CONFIG_HOME: dir };
  };
  const run = async (...argv: string[]) => {
    const c = captureIo(empty());
    const code = await runDuffy(argv, c.io);
    return { code, out: c.stdout(), err: c.stderr() };
  };
  const auth = () => ['--url', url, '--auth-name', 'me', '--auth-key', 'k'];

  it('parses command options anywhere, with = or a separate value', () => {
    const p = parseArgv(
      ['client', '--format=YAML', 'list-pools', '--url', 'u'],
      [
        { name: 'format', value: 'F', summary: '' },
        { name: 'url', value: 'U', summary: '' },
        { name: 'is-admin', summary: '' },
      ],
    );
    expect(p.words).toEqual(['client', 'list-pools']);
    expect(p.options).toEqual({ format: 'YAML', url: 'u' });
    expect(() => parseArgv(['--is-admin=1'], [{ name: 'is-admin', summary: '' }])).toThrow(
      'option --is-admin does not take a value',
    );
  });

  it('refuses a command option on a command that does not declare it', async () => {
    const r = await run('config', 'check', '--format', 'json');
    expect(r.code).toBe(2);
    expect(r.err).toContain('no such option: --format');
  });

  it('sends the original request-session body with Basic auth, prints flat', async () => {
    answer = { status: 201, body: '{"action": "post", "session": {"id": 1, "nodes": []}}' };
    const r = await run(
      'client',
      '--format=FLAT',
      ...auth(),
      'request-session',
      'pool=a,quantity=2',
    );
    expect(r).toEqual({ code: 0, out: '', err: '' });
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/api/v1/sessions',
      auth: `Basic ${Buffer.from('me:k').toString('base64')}`,
    });
    expect(JSON.parse(seen[0].body)).toEqual({
      tenant_id: null,
      nodes_specs: [{ quantity: 2, pool: 'a' }],
    });
  });

  it('reads url and credentials from the configuration file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'duffy-client-'));
    const file = join(dir, 'client.yaml');
    writeFileSync(
      file,
      `client:\n  url: ${url}\n  auth: { name: cfg, key: 0c4f7b6e-3e2a-4c1d-9f0b-2b1c3d4e5f60 }\n`,
    );
    answer = { status: 200, body: '{"action": "get", "pools": []}' };
    const r = await run('-c', file, 'client', 'list-pools');
    expect(r).toEqual({ code: 0, out: '{"action": "get", "pools": []}\n', err: '' });
    expect(seen[0].auth).toBe(
      `Basic ${Buffer.from('cfg:0c4f7b6e-3e2a-4c1d-9f0b-2b1c3d4e5f60').toString('base64')}`,
    );
  });

  it('prints an API error through the formatter, on stderr too, exit 1; a list detail as text', async () => {
    answer = { status: 422, body: '{"detail": [{"loc": ["body"], "msg": "bad"}]}' };
    const r = await run('client', ...auth(), 'show-session', '7');
    expect(r.code).toBe(1);
    expect(r.out).toBe('{"error": {"detail": "[{\\"loc\\":[\\"body\\"],\\"msg\\":\\"bad\\"}]"}}\n');
    expect(r.err).toContain('Error: [{"loc"');
    answer = { status: 401, body: '{"detail": "Unauthorized"}' };
    const bad = await run('client', ...auth(), '--format', 'flat', 'list-sessions');
    expect(bad.code).toBe(1);
    expect(bad.out).toBe("error='Unauthorized'\n");
    expect(bad.err).toContain('check --auth-name and --auth-key');
  });

  it.each([
    [['request-session', 'pool=a'], 'Both `pool` and `quantity` must be set'],
    [['request-session', 'pool=a,pool=b'], 'Duplicate key: pool'],
    [['request-session', 'nonsense'], "Invalid node spec 'nonsense'"],
    [['show-session', 'x'], "'x' is not a valid integer"],
    [['show-pool'], 'missing argument: NAME'],
    [['list-pools', '--format', 'xml'], "invalid format 'xml'"],
  ])('%j: exit 2 with %s, nothing sent', async (argv, message) => {
    const r = await run('client', ...auth(), ...argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(seen).toHaveLength(0);
  });

  it('needs a url and credentials', async () => {
    const r = await run('client', 'list-pools');
    expect(r.code).toBe(2);
    expect(r.err).toContain('missing --url (or client.url in the configuration)');
  });

  it('says clearly when the server cannot be reached', async () => {
    const r = await run(
      'client',
      '--url',
      'http://127.0.0.1:1/api/v1',
      '--auth-name',
      'a',
      '--auth-key',
      'b',
      'list-pools',
    );
    expect(r.code).toBe(1);
    expect(r.err).toContain('cannot reach the Duffy API at http://127.0.0.1:1/api/v1/pools');
  });
});
