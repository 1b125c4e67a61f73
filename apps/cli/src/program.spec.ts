import { runDuffy } from './program.js';
import { captureIo } from './testing/capture-io.js';

describe('duffy', () => {
  it('prints its version like the original', async () => {
    const c = captureIo();
    expect(await runDuffy(['--version'], c.io)).toBe(0);
    expect(c.stdout()).toMatch(/^Duffy, version \d+\.\d+\.\d+\n$/);
  });

  it('lists its commands in the help', async () => {
    const c = captureIo();
    expect(await runDuffy(['--help'], c.io)).toBe(0);
    expect(c.stdout()).toContain('config check');
    expect(c.stdout()).toContain('config dump');
  });

  it('exits 2 on an unknown option or command, naming it', async () => {
    const a = captureIo();
    expect(await runDuffy(['--bogus'], a.io)).toBe(2);
    expect(a.stderr()).toContain('no such option: --bogus');
    const b = captureIo();
    expect(await runDuffy(['frobnicate'], b.io)).toBe(2);
    expect(b.stderr()).toContain('no such command: duffy frobnicate');
  });
});
