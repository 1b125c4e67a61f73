import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startStatusServer,
  type StatusServer,
} from '../../../../libs/observability/src/status/status-server.js';
import { runDuffy } from '../program.js';
import { captureIo } from '../testing/capture-io.js';

// `duffy status` as a command: config → targets → lines and exit code. The status ports are
// real status servers (libs/observability); the api's own endpoints are exercised against a real
// api in test/cli/status.e2e.pg.spec.ts.
describe('duffy status', () => {
  const servers: StatusServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  /** A port nothing listens on: bound, then released. */
  const deadPort = async () => {
    const s: Server = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    await new Promise((r) => s.close(r));
    return port;
  };

  const configDir = (yaml: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'duffy-status-'));
    writeFileSync(join(dir, 'config.yaml'), yaml);
    return dir;
  };
  const run = async (...argv: string[]) => {
    const c = captureIo({ XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'duffy-status-xdg-')) });
    const code = await runDuffy(argv, c.io);
    return { code, out: c.stdout(), err: c.stderr() };
  };

  it('prints one line per service and exits 1 when one is unreachable or not ready', async () => {
    const projector = await startStatusServer({
      host: '127.0.0.1',
      port: 0,
      service: 'projector',
      checks: [
        { name: 'event_store', probe: async () => undefined },
        { name: 'projection_lag', probe: async () => ({ lag_seconds: 0.2 }) },
      ],
    });
    const provisioner = await startStatusServer({
      host: '127.0.0.1',
      port: 0,
      service: 'provisioner',
      checks: [
        {
          name: 'nats',
          probe: async () => {
            throw new Error('CONNECTION_REFUSED');
          },
        },
      ],
    });
    servers.push(projector, provisioner);
    const apiPort = await deadPort();
    const dir = configDir(
      `app: { host: 127.0.0.1, port: ${apiPort} }
tasks: { nats: { url: 'nats://127.0.0.1:4222' } }
observability:
  status: { host: 127.0.0.1, projector-port: ${projector.port}, provisioner-port: ${provisioner.port} }
`,
    );
    const text = await run('-c', dir, 'status');
    expect(text.code).toBe(1);
    expect(text.out.split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^api unreachable at http://127\\.0\\.0\\.1:${apiPort}/api/v1/ready: ECONNREFUSED$`,
        ),
      ),
      'projector ready: event_store up, projection_lag up (0.2 s)',
      'provisioner NOT READY: nats down (CONNECTION_REFUSED)',
      '',
    ]);

    const json = await run('-c', dir, 'status', '--format', 'json');
    expect(json.code).toBe(1);
    const body = JSON.parse(json.out);
    expect(body.ok).toBe(false);
    expect(body.services.map((s: { service: string }) => s.service)).toEqual([
      'api',
      'projector',
      'provisioner',
    ]);
    expect(body.services[1]).toMatchObject({ live: true, ready: true });
    expect(body.services[1].checks[1]).toEqual({
      name: 'projection_lag',
      status: 'up',
      details: { lag_seconds: 0.2 },
    });
  });

  it('asks only the services the configuration has and whose status port is not false', async () => {
    const apiPort = await deadPort();
    const dir = configDir(
      `app: { host: 0.0.0.0, port: ${apiPort} }
observability: { status: { projector-port: false, metaclient-port: 1 } }
`,
    );
    const r = await run('-c', dir, 'status');
    expect(r.code).toBe(1);
    // No tasks section: no provisioner; no metaclient section: no metaclient; projector off.
    expect(r.out).toBe(
      `api unreachable at http://127.0.0.1:${apiPort}/api/v1/ready: ECONNREFUSED\n`,
    );
  });

  it('refuses an unknown --format, naming the option', async () => {
    const r = await run('status', '--format', 'xml');
    expect(r.code).toBe(2);
    expect(r.err).toBe("Error: --format: must be text or json (got 'xml')\n");
  });
});
