import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditIo } from '../client/audit/audit-io.js';
import { AuditApiDouble } from '../client/audit/testing/audit-api-double.js';
import { historyEntry, SESSION_TIMELINE } from '../client/audit/testing/history-entries.js';
import { runDuffy } from '../program.js';
import { auditVerify } from './audit.js';
import { serverArgv } from './serve-built-app.js';

// `duffy audit …` against a double of the REST API's audit endpoints on 127.0.0.1 (the real
// api is for the end-to-end tests).
describe('duffy audit', () => {
  const api = new AuditApiDouble();
  const timeline = { action: 'get', history: SESSION_TIMELINE };

  beforeAll(() => api.start());
  afterAll(() => api.stop());
  beforeEach(() => {
    api.seen.length = 0;
    api.answers.clear();
    api.log = [];
    api.eventsProblem = undefined;
  });

  interface Terminal {
    columns?: number;
    stderrTty?: boolean;
    interrupt?: AbortSignal;
    onWrite?: (out: string) => void;
  }
  const run = async (argv: string[], terminal: Terminal = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: AuditIo = {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      env: { XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'duffy-audit-')) },
      stdoutIsTty: terminal.columns !== undefined,
      stdoutColumns: terminal.columns,
      interrupt: terminal.interrupt,
      pollMs: 10,
      write: async (t) => {
        out.push(t);
        terminal.onWrite?.(out.join(''));
      },
    };
    Object.assign(io, { stderrIsTty: terminal.stderrTty ?? false });
    const code = await runDuffy(argv, io);
    return { code, out: out.join(''), err: err.join('') };
  };
  const auth = () => ['--url', api.url, '--auth-name', 'auditor', '--auth-key', 'k'];
  const timelineLines = (text: string) => text.trimEnd().split('\n');

  it('prints a session’s timeline as aligned lines on a terminal, within its width', async () => {
    api.answers.set('GET /sessions/12/timeline', [200, timeline]);
    const r = await run(['audit', 'session', '12', ...auth()], { columns: 80 });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = timelineLines(r.out);
    expect(lines[0]).toMatch(/^TIME \(UTC\) +STREAM +ACTOR +SUMMARY$/);
    expect(lines[2]).toMatch(/^2026-12-01 14:00:02 {2}node-3 +system +node 3 reserved/);
    expect(lines).toHaveLength(6);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
    expect(api.seen[0]).toMatchObject({
      method: 'GET',
      url: '/api/v1/sessions/12/timeline',
      auth: `Basic ${Buffer.from('auditor:k').toString('base64')}`,
    });
  });

  it('prints the answer as json in a pipe, as the client commands do, and yaml or flat on demand', async () => {
    api.answers.set('GET /sessions/12/timeline', [200, timeline]);
    const piped = await run(['audit', 'session', '12', ...auth()]);
    expect(piped.code).toBe(0);
    expect(piped.out.startsWith('{"action": "get", "history": [{"position": 1, ')).toBe(true);
    expect(JSON.parse(piped.out)).toEqual(timeline);
    const yaml = await run(['audit', 'session', '12', ...auth(), '--format', 'yaml']);
    expect(yaml.out).toMatch(/^action: get\nhistory:\n- actor: alice\n {2}actor_kind: tenant\n/);
    const flat = await run(['audit', 'session', '12', ...auth(), '--format=flat']);
    expect(flat.out.split('\n')[1]).toBe(
      "position=2 stream='node-3' revision=1 time='2026-12-01T14:00:02.512Z' type='NodeReserved' actor='system' actor_kind='system' correlation_id='session-12' summary='node 3 reserved for session 12'",
    );
    const text = await run(['audit', 'session', '12', ...auth(), '--format', 'text']);
    expect(text.out).toContain('extended expiry 14:00Z → 18:00Z (asked for 20:00Z, clamped)');
  });

  it('asks for a node’s, a tenant’s and a pool’s history by name, with a time range', async () => {
    const answer: [number, unknown] = [200, { action: 'get', history: [historyEntry(7)] }];
    api.answers.set(
      'GET /nodes/n3.pool-a.example.test/history?from=2026-12-01T14%3A00%3A00Z&to=2026-12-01T16%3A00%3A00Z',
      answer,
    );
    api.answers.set('GET /tenants/alice/history', answer);
    api.answers.set('GET /pools/pool%20a/history', answer);
    const range = ['--from', '2026-12-01T14:00:00Z', '--to', '2026-12-01T16:00:00Z'];
    for (const argv of [
      ['node', 'n3.pool-a.example.test', ...range],
      ['tenant', 'alice'],
      ['pool', 'pool a'],
    ]) {
      const r = await run(['audit', ...argv, ...auth()], { columns: 100 });
      expect({ argv, code: r.code, err: r.err }).toEqual({ argv, code: 0, err: '' });
      expect(r.out).toContain('alice (tenant)  event 7');
    }
  });

  it('prints the API’s problem detail, exit 1; as {"error": …} on stdout too in json', async () => {
    api.answers.set('GET /sessions/99/timeline', [
      404,
      { code: 'session_not_found', detail: 'session 99 not found' },
    ]);
    const text = await run(['audit', 'session', '99', ...auth()], { columns: 80 });
    expect(text).toEqual({ code: 1, out: '', err: 'Error: session 99 not found\n' });
    const json = await run(['audit', 'session', '99', ...auth()]);
    expect(json.code).toBe(1);
    expect(json.out).toBe('{"error": {"detail": "session 99 not found"}}\n');
    api.answers.set('GET /tenants/bob/history', [403, { code: 'forbidden', detail: 'Forbidden' }]);
    const forbidden = await run(['audit', 'tenant', 'bob', ...auth()], { columns: 80 });
    expect(forbidden.code).toBe(1);
    expect(forbidden.err).toContain('Error: Forbidden (only admins and auditors');
  });

  it.each([
    [['session', 'x'], "'x' is not a valid integer"],
    [['session'], 'missing argument: ID'],
    [['node', 'n3', '--from', 'yesterday'], "--from: 'yesterday' is not an RFC 3339 time"],
    [['events', '--limit', '0'], "--limit: '0' is not a whole number of at least 1"],
    [['events', '--after', 'x'], "--after: 'x' is not a whole number"],
    [
      ['events', '--format', 'xml'],
      "--format: invalid format 'xml' (one of text, json, yaml, flat)",
    ],
    [['who-had', 'n3'], 'who-had needs --at T, or --from T --to T'],
    [['who-had', 'n3', '--from', '2026-12-01T14:00:00Z'], 'missing --to (a range needs both)'],
    [
      ['who-had', 'n3', '--at', '2026-12-01T14:00:00Z', '--to', '2026-12-01T15:00:00Z'],
      '--at and --from/--to exclude each other',
    ],
    [['export'], 'missing --since T (or --after POS)'],
    [['export', '--since', '2026-12-01'], "--since: '2026-12-01' is not an RFC 3339 time"],
  ])('%j: exit 2 naming what is wrong, nothing sent', async (argv, message) => {
    const r = await run(['audit', ...argv, ...auth()]);
    expect(r.err).toContain(message);
    expect(r.code).toBe(2);
    expect(api.seen).toHaveLength(0);
  });

  it('refuses an option the command does not take, and a missing url', async () => {
    const foreign = await run(['audit', 'tenant', 'alice', '--follow', ...auth()]);
    expect(foreign.code).toBe(2);
    expect(foreign.err).toContain('no such option: --follow');
    const noUrl = await run(['audit', 'tenant', 'alice']);
    expect(noUrl.code).toBe(2);
    expect(noUrl.err).toContain('missing --url (or client.url in the configuration)');
  });

  it('reads the url and credentials from the client configuration', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'duffy-audit-')), 'client.yaml');
    writeFileSync(
      file,
      `client:\n  url: ${api.url}\n  auth: { name: cfg, key: 0c4f7b6e-3e2a-4c1d-9f0b-2b1c3d4e5f60 }\n`,
    );
    api.answers.set('GET /pools/pool-a/history', [200, { action: 'get', history: [] }]);
    const r = await run(['-c', file, 'audit', 'pool', 'pool-a'], { columns: 80 });
    expect(r).toEqual({ code: 0, out: 'no events\n', err: '' });
    expect(api.seen[0].auth).toBe(
      `Basic ${Buffer.from('cfg:0c4f7b6e-3e2a-4c1d-9f0b-2b1c3d4e5f60').toString('base64')}`,
    );
  });

  it('sends every event filter under the contract’s names, and prints one page', async () => {
    api.log = SESSION_TIMELINE;
    const r = await run([
      'audit',
      'events',
      ...auth(),
      '--stream',
      'session-12',
      '--stream-prefix',
      'session-',
      '--type',
      'SessionExtended,SessionExpired',
      '--tenant',
      'alice',
      '--node',
      '3',
      '--correlation-id',
      'session-12',
      '--from',
      '2026-12-01T00:00:00Z',
      '--to',
      '2026-12-02T00:00:00Z',
      '--after',
      '3',
      '--limit',
      '10',
    ]);
    expect(r.code).toBe(0);
    expect(api.paths()).toEqual([
      '/events?after=3&limit=10&stream=session-12&stream_prefix=session-&type=SessionExtended%2CSessionExpired&tenant=alice&node=3&correlation_id=session-12&from=2026-12-01T00%3A00%3A00Z&to=2026-12-02T00%3A00%3A00Z',
    ]);
    expect(JSON.parse(r.out)).toEqual({
      action: 'get',
      events: SESSION_TIMELINE.slice(3),
      next_after: 5,
    });
    const flat = await run(['audit', 'events', ...auth(), '--format', 'flat', '--after', '4']);
    expect(flat.out).toMatch(/^position=5 .*\nnext_after=5\n$/);
  });

  it('follows the log: pages on with next_after, then polls for new events until interrupted', async () => {
    api.log = SESSION_TIMELINE.slice(0, 3);
    const stop = new AbortController();
    let appending = false;
    const r = await run(['audit', 'events', ...auth(), '--follow', '--limit', '2'], {
      columns: 140,
      interrupt: stop.signal,
      onWrite: (out) => {
        // New events arrive a while after the command has caught up, so it polls meanwhile.
        if (!appending && out.includes('contextualize.yml')) {
          appending = true;
          setTimeout(() => api.log.push(...SESSION_TIMELINE.slice(3)), 60);
        }
        if (out.includes('expired')) stop.abort();
      },
    });
    expect(r).toMatchObject({ code: 0, err: '' });
    const lines = timelineLines(r.out);
    expect(lines[0]).toMatch(/^TIME \(UTC\) +STREAM/);
    expect(lines.slice(1).map((l) => l.replace(/^.* {2}/, ''))).toEqual(
      SESSION_TIMELINE.map((e) => e.summary),
    );
    const paths = api.paths();
    expect(paths.slice(0, 3)).toEqual([
      '/events?limit=2',
      '/events?after=2&limit=2',
      '/events?after=3&limit=2',
    ]);
    expect(paths.filter((p) => p === '/events?after=3&limit=2').length).toBeGreaterThan(1);
    expect(paths.every((p) => !p.includes('after=5'))).toBe(true);
  }, 10_000);

  it('follows in json as one event per line', async () => {
    api.log = SESSION_TIMELINE;
    const stop = new AbortController();
    const r = await run(['audit', 'events', ...auth(), '--follow', '--format', 'json'], {
      interrupt: stop.signal,
      onWrite: (out) => out.includes('"expired"') && stop.abort(),
    });
    expect(r.code).toBe(0);
    expect(
      r.out
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual(SESSION_TIMELINE);
  });

  it('says who had a node at a time, or within a range', async () => {
    const holders = {
      action: 'get',
      holders: [
        {
          node_id: 3,
          hostname: 'n3.pool-a.example.test',
          session_id: 12,
          tenant: 'alice',
          ssh_key: 'ssh-ed25519 AAAAC3Nza alice@example.test',
          from: '2026-12-01T14:00:00Z',
          to: null,
        },
      ],
    };
    api.answers.set('GET /nodes/n3.pool-a.example.test/holders?at=2026-12-01T15%3A00%3A00Z', [
      200,
      holders,
    ]);
    api.answers.set(
      'GET /nodes/n3.pool-a.example.test/holders?from=2026-12-01T14%3A00%3A00Z&to=2026-12-01T16%3A00%3A00Z',
      [200, holders],
    );
    const at = await run(
      ['audit', 'who-had', 'n3.pool-a.example.test', '--at', '2026-12-01T15:00:00Z', ...auth()],
      { columns: 140 },
    );
    expect(at.code).toBe(0);
    expect(timelineLines(at.out)[0]).toBe('n3.pool-a.example.test (node 3):');
    expect(timelineLines(at.out)[2]).toBe(
      '12       alice   2026-12-01 14:00:00  still held           ssh-ed25519 AAAAC3Nza alice@example.test',
    );
    const range = await run([
      'audit',
      'who-had',
      'n3.pool-a.example.test',
      '--from',
      '2026-12-01T14:00:00Z',
      '--to',
      '2026-12-01T16:00:00Z',
      ...auth(),
      '--format',
      'flat',
    ]);
    expect(range.out).toBe(
      "node_id=3 hostname='n3.pool-a.example.test' session_id=12 tenant='alice' ssh_key='ssh-ed25519 AAAAC3Nza alice@example.test' from='2026-12-01T14:00:00Z' to=\n",
    );
  });

  it('exports JSON lines as they stream in, with the filters, Accept: application/x-ndjson', async () => {
    api.log = SESSION_TIMELINE;
    let release = () => undefined as void;
    api.exportPause = new Promise<void>((r) => (release = r));
    let firstBeforeTheRest = false;
    const r = await run(
      [
        'audit',
        'export',
        '--since',
        '2026-12-01T00:00:00Z',
        '--stream-prefix',
        'session-',
        ...auth(),
      ],
      {
        columns: 80,
        stderrTty: true,
        onWrite: (out) => {
          // The first line is out while the double still holds back the rest: streamed.
          if (!firstBeforeTheRest && out.includes('\n')) {
            firstBeforeTheRest = true;
            release();
          }
        },
      },
    );
    api.exportPause = undefined;
    expect(r.code).toBe(0);
    expect(firstBeforeTheRest).toBe(true);
    expect(
      r.out
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual(SESSION_TIMELINE);
    expect(r.err).toBe('exported 5 events\n');
    expect(api.seen[0]).toMatchObject({
      url: '/api/v1/events?stream_prefix=session-&from=2026-12-01T00%3A00%3A00Z',
      accept: 'application/x-ndjson',
    });
  });

  it('prints an export’s problem on stderr only, so the log file gets nothing', async () => {
    api.eventsProblem = [
      403,
      { code: 'forbidden', detail: 'only admins and auditors read the log' },
    ];
    const r = await run(['audit', 'export', '--since', '2026-12-01T00:00:00Z', ...auth()]);
    expect(r).toEqual({
      code: 1,
      out: '',
      err: 'Error: only admins and auditors read the log (only admins and auditors read every history; a tenant reads its own)\n',
    });
  });

  it('lists the audit commands for `duffy audit`, --help, and an unknown word', async () => {
    const group = await run(['audit']);
    expect(group.code).toBe(0);
    for (const word of [
      'session ID',
      'node ID|HOSTNAME',
      'tenant NAME',
      'pool NAME',
      'events',
      'who-had HOSTNAME',
      'export',
      'verify',
    ]) {
      expect(group.out).toContain(`  ${word}`);
    }
    const help = await run(['audit', '--help']);
    expect(help.out).toContain('audit who-had HOSTNAME');
    const unknown = await run(['audit', 'nonsense']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no such command: duffy audit nonsense');
    const events = await run(['audit', 'events', '--help']);
    expect(events.out).toMatch(/--correlation-id C +only events with this correlation id/);
    expect(events.out).toMatch(/--follow +page on, then poll/);
  });

  it('hands `audit verify` to the server entry, as `projector verify` goes to the projector', () => {
    const args = {
      words: ['audit', 'verify'],
      rest: [],
      configPaths: ['x.yaml'],
      help: false,
      version: false,
      options: {},
    };
    expect(auditVerify.words).toEqual(['audit', 'verify']);
    expect(serverArgv(auditVerify, args)).toEqual(['audit', 'verify']);
  });
});
