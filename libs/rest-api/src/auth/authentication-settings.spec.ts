import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@app/config';
import { authenticationSettings } from './authentication-settings';

function load(app: string) {
  const dir = mkdtempSync(join(tmpdir(), 'duffy-auth-settings-'));
  writeFileSync(join(dir, 'config.yaml'), `app: ${app}\n`);
  return loadConfig({ paths: [dir], env: {} });
}

describe('app.authentication', () => {
  it('defaults to 10 failures per name and 30 per address in a minute', () => {
    const { config, problems } = load('{ port: 8080 }');
    expect(problems).toEqual([]);
    expect(authenticationSettings(config)).toEqual({
      limits: { perName: 10, perAddress: 30, windowMs: 60_000 },
      verifyThreads: expect.any(Number),
      verifyQueue: 32,
    });
    expect(authenticationSettings(config).verifyThreads).toBeGreaterThanOrEqual(1);
    expect(authenticationSettings(config).verifyThreads).toBeLessThanOrEqual(2);
  });

  it('reads every key; 0 turns a limit (or the pool) off', () => {
    const { config, problems } = load(
      '{ authentication: { failures-per-name: 0, failures-per-address: 5, failure-window: 5m, verify-threads: 0, verify-queue: 4 } }',
    );
    expect(problems).toEqual([]);
    expect(authenticationSettings(config)).toEqual({
      limits: { perName: 0, perAddress: 5, windowMs: 300_000 },
      verifyThreads: 0,
      verifyQueue: 4,
    });
  });

  it('refuses negative counts, a bad window and unknown keys at load', () => {
    const { problems } = load(
      '{ authentication: { failures-per-name: -1, failure-window: soon, verify-queue: 0, retries: 3 } }',
    );
    expect(problems.map((p) => p.path).sort()).toEqual([
      'app.authentication.failure-window',
      'app.authentication.failures-per-name',
      'app.authentication.retries',
      'app.authentication.verify-queue',
    ]);
  });
});
