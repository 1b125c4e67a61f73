import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDuffy } from '../program.js';
import { captureIo } from '../testing/capture-io.js';

// Spawns the built metaclient (`npm run build` first); its refusals reach the caller unchanged.
function configFile(text: string, mode: number): string {
  const file = join(mkdtempSync(join(tmpdir(), 'duffy-cli-legacy-')), 'config.yaml');
  writeFileSync(file, text);
  chmodSync(file, mode);
  return file;
}

const LEGACY =
  'metaclient: { dest: "http://127.0.0.1:1", usermap: { k: t }, poolmap: [{ pool: p }] }\n';

describe('duffy serve-legacy', () => {
  it('lists its options', async () => {
    const c = captureIo();
    expect(await runDuffy(['serve-legacy', '--help'], c.io)).toBe(0);
    expect(c.stdout()).toContain('--port PORT');
    expect(c.stdout()).toContain('--dest URL');
  });

  it('passes the metaclient refusal of a world-readable usermap through', async () => {
    const c = captureIo();
    const file = configFile(LEGACY, 0o644);
    expect(await runDuffy(['-c', file, 'serve-legacy', '--port', '0'], c.io)).toBe(1);
    expect(c.stderr()).toContain(
      `${file}: metaclient.usermap: the file is readable by other users`,
    );
  }, 30_000);

  it('needs a metaclient section', async () => {
    const c = captureIo();
    const file = configFile('app: { port: 8080 }\n', 0o600);
    expect(await runDuffy(['-c', file, 'serve-legacy'], c.io)).toBe(1);
    expect(c.stderr()).toContain('the configuration has no metaclient section');
  }, 30_000);

  it('serves, printing its address, with a private usermap', async () => {
    const c = captureIo();
    const file = configFile(LEGACY, 0o600);
    const running = runDuffy(['-c', file, 'serve-legacy', '--port', '0'], c.io);
    const deadline = Date.now() + 20_000;
    while (!/Address: (http:\/\/127\.0\.0\.1:\d+)/.test(c.stdout())) {
      if (Date.now() > deadline) throw new Error(`no address: ${c.stderr()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const base = /Address: (http:\/\/127\.0\.0\.1:\d+)/.exec(c.stdout())![1];
    const res = await fetch(`${base}/Node/get?key=nope`);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ detail: 'Forbidden' });
    // runBuiltApp forwards SIGTERM to the metaclient; our own handler keeps jest alive.
    const keep = () => undefined;
    process.on('SIGTERM', keep);
    try {
      process.emit('SIGTERM');
      expect(await running).toBe(0);
    } finally {
      process.off('SIGTERM', keep);
    }
  }, 30_000);
});
