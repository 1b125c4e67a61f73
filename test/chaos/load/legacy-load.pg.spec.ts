import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTenantCommand, UpdateTenantCommand } from '@app/application';
import type { MetaclientConfig } from '@app/config';
import { createLegacyServer } from '@app/legacy-api';
import { LegacyHandlers } from '@app/legacy-api/legacy-handlers';
import { Upstream } from '@app/legacy-api/upstream';
import { ApiHarness } from '@app/rest-api/testing/api-harness';
import type { Answer } from '../contract';
import { readAnswers } from '../checker/read-answers';
import { LoadGenerator } from './load-generator';
import type { LoadSummary } from './load-options';

const LEGACY_KEY = randomUUID();

/**
 * The legacy clients of the load against the real metaclient code (its HTTP server in this
 * process) in front of the real api on a test database: /Node/get, then /Node/done of the ssid.
 * Six clients: the sixth is the legacy one.
 */
describe('LoadGenerator legacy clients through the metaclient (PostgreSQL)', () => {
  let h: ApiHarness;
  let metaclient: Server;
  let answers: Answer[];
  let summary: LoadSummary;
  let raw: string;

  beforeAll(async () => {
    h = await ApiHarness.start('chaos_legacy_load');
    // W-S6: the legacy key is the tenant's REST key.
    await h.bus().execute(new CreateTenantCommand('old-job', 'ssh-ed25519 OLD', { nodeQuota: 4 }));
    await h.bus().execute(new UpdateTenantCommand('old-job', { apiKey: LEGACY_KEY }));
    const rest = await h.tenant('new-job', { node_quota: 4 });
    await h.readyNodes('plain-a', 40);
    const config: MetaclientConfig = {
      host: '127.0.0.1',
      port: 0,
      loglevel: 'info',
      usermap: { [LEGACY_KEY]: 'old-job' },
      poolmap: [{ arch: 'x86_64', pool: 'plain-a' }],
      mangleHostname: '<%= hostname %>',
    };
    const handlers = new LegacyHandlers(config, new Upstream(h.base.replace(/\/api\/v1$/, '')), {
      allocateTimeoutMs: 20_000,
      timeoutMs: 10_000,
      log: () => undefined,
    });
    metaclient = createLegacyServer(config, handlers, () => undefined);
    await new Promise<void>((resolve) => metaclient.listen(0, '127.0.0.1', resolve));
    const answersFile = join(mkdtempSync(join(tmpdir(), 'duffy-chaos-legacy-')), 'answers.jsonl');
    const load = new LoadGenerator({
      apis: [h.base.replace(/\/api\/v1$/, '')],
      metaclient: `http://127.0.0.1:${(metaclient.address() as AddressInfo).port}`,
      tenants: [
        { name: 'old-job', key: LEGACY_KEY, legacyKey: LEGACY_KEY },
        { name: 'new-job', key: rest.auth[1] },
      ],
      pools: ['plain-a'],
      legacyRequests: [{ ver: '9-stream', arch: 'x86_64' }],
      seed: 3,
      clients: 6,
      queueShare: 0,
      answersFile,
      requestTimeoutMs: 10_000,
    });
    load.start();
    await new Promise((r) => setTimeout(r, 4000));
    summary = await load.stop();
    raw = readFileSync(answersFile, 'utf8');
    const read = await readAnswers(answersFile);
    expect(read.unreadable).toEqual([]);
    answers = read.answers;
    await h.caughtUp();
  }, 120_000);

  afterAll(async () => {
    await new Promise((resolve) => metaclient?.close(resolve));
    await h?.stop();
  });

  it('gets nodes with the legacy key, returns them with /Node/done, and never records the key', async () => {
    const got = answers.filter((a) => a.op === 'legacy-get');
    const done = answers.filter((a) => a.op === 'legacy-done');
    expect(got.length).toBeGreaterThan(0);
    expect(summary.legacyGot).toBe(got.filter((a) => a.sessionId !== undefined).length);
    for (const a of [...got, ...done]) {
      expect(a.tenant).toBe('old-job');
      expect(a.status).toBe(200);
      expect(a.path).not.toContain(LEGACY_KEY);
    }
    for (const a of got.filter((x) => x.sessionId !== undefined)) {
      expect(a.path).toMatch(/^\/Node\/get\?ver=9-stream&arch=x86_64&count=[12]$/);
      expect(done.map((d) => d.sessionId)).toContain(a.sessionId);
      const shown = await h.call('GET', `/sessions/${a.sessionId}`, { auth: h.admin() });
      expect([shown.body.session.tenant.name, shown.body.session.active]).toEqual([
        'old-job',
        false,
      ]);
    }
    expect(raw).not.toContain(LEGACY_KEY);
    // The REST clients ran beside it.
    expect(answers.some((a) => a.op === 'request' && a.status === 201)).toBe(true);
  });
});
