import { processIo } from '../io.js';
import { captureIo } from '../testing/capture-io.js';
import type { RequestObservation } from './request-phase.js';
import { progressColumns, withRequestProgress, type TerminalIo } from './request-progress.js';

const specs = [{ pool: 'demo-small', quantity: 2 }];
const levels = { provisioning: 0, ready: 0, contextualizing: 1, deployed: 0, deprovisioning: 0 };

/** A request that answers after `ms`, and an observer that counts its polls. */
function fixture(ms: number) {
  let polls = 0;
  const observe = async (): Promise<RequestObservation> => {
    polls++;
    return { levels: { 'demo-small': levels } };
  };
  const work = () => new Promise<string>((r) => setTimeout(() => r('answer'), ms));
  return { observe, work, polls: () => polls };
}

describe('request-session progress', () => {
  it('is drawn only when stderr is a terminal', () => {
    expect(progressColumns(captureIo().io)).toBeUndefined();
    expect(progressColumns({ ...captureIo().io, stderrIsTty: false })).toBeUndefined();
    expect(progressColumns({ ...captureIo().io, stderrIsTty: true })).toBe(80);
    expect(progressColumns({ ...captureIo().io, stderrIsTty: true, stderrColumns: 120 })).toBe(120);
    // The process's own io asks the real stderr.
    expect(progressColumns(processIo) !== undefined).toBe(process.stderr.isTTY === true);
  });

  it('writes nothing and polls nothing in a pipe', async () => {
    const c = captureIo();
    const f = fixture(60);
    const options = { frameMs: 5, pollMs: 5 };
    await expect(withRequestProgress(c.io, specs, f.observe, f.work, options)).resolves.toBe(
      'answer',
    );
    expect(c.stderr()).toBe('');
    expect(c.stdout()).toBe('');
    expect(f.polls()).toBe(0);
  });

  it('draws a spinner with the phase on a terminal and erases it at the end', async () => {
    const c = captureIo();
    const io: TerminalIo = { ...c.io, stderrIsTty: true, stderrColumns: 100 };
    const f = fixture(100);
    const options = { frameMs: 10, pollMs: 10 };
    await expect(withRequestProgress(io, specs, f.observe, f.work, options)).resolves.toBe(
      'answer',
    );
    const err = c.stderr();
    expect(err.startsWith('\r\x1b[2K⠋ requesting 2 node(s) from demo-small…')).toBe(true);
    expect(err).toContain(
      '⠙ requesting 2 node(s) from demo-small… waiting for nodes: 1 contextualizing\r',
    );
    expect(err.endsWith('\r\x1b[2K')).toBe(true);
    expect(f.polls()).toBeGreaterThan(1);
    expect(c.stdout()).toBe('');
  });

  it('cuts its line to the terminal width, minus one so the terminal does not wrap', async () => {
    const c = captureIo();
    const io: TerminalIo = { ...c.io, stderrIsTty: true, stderrColumns: 30 };
    const f = fixture(50);
    await withRequestProgress(io, specs, f.observe, f.work, { frameMs: 5, pollMs: 5 });
    const frames = c.stderr().split('\r\x1b[2K').filter(Boolean);
    expect(frames.length).toBeGreaterThan(2);
    for (const frame of frames) expect([...frame].length).toBe(29);
  });

  it('erases the spinner also when the request fails', async () => {
    const c = captureIo();
    const io: TerminalIo = { ...c.io, stderrIsTty: true };
    const failing = () => Promise.reject(new Error('boom'));
    await expect(
      withRequestProgress(io, specs, async () => ({ levels: {} }), failing, { frameMs: 5 }),
    ).rejects.toThrow('boom');
    expect(c.stderr().endsWith('\r\x1b[2K')).toBe(true);
  });
});
