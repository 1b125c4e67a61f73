import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { cleanup, render as renderForTest } from 'ink-testing-library';
import { App } from './app.js';
import { TerminalApp } from './terminal-app.js';
import { FakeDuffyApi } from './testing/fake-duffy-api.js';
import { pool, session } from './testing/fixtures.js';
import { waitFor } from './testing/wait-for.js';

afterEach(cleanup);

/** A stdout that keeps the last frame, as ink-testing-library's does. */
class FrameStdout extends EventEmitter {
  columns = 80;
  rows = 24;
  last = '';
  write = (frame: string) => {
    this.last = frame;
    return true;
  };
}

describe('duffy ui in other terminals', () => {
  it('displays without crashing when stdin has no raw mode (keys are then ignored)', async () => {
    const stdout = new FrameStdout();
    const stdin = Object.assign(new EventEmitter(), { isTTY: false });
    const api = new FakeDuffyApi([pool('demo-small', 5, 3)]);
    const instance = render(<App api={api} />, {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      debug: true,
      exitOnCtrlC: false,
      patchConsole: false,
    });
    await waitFor(() => expect(stdout.last).toContain('> demo-small'));
    instance.unmount();
  });

  it('sizes itself to the terminal (100 columns here)', async () => {
    const ui = renderForTest(<TerminalApp api={new FakeDuffyApi([pool('p', 1, 1)])} />);
    await waitFor(() => expect(ui.lastFrame()).toContain('> p'));
    expect(ui.lastFrame()).toContain('─'.repeat(100));
    expect(ui.lastFrame()).not.toContain('─'.repeat(101));
    ui.unmount();
  });

  it('fits many sessions with many nodes into 80x24', async () => {
    const sessions = Array.from({ length: 30 }, (_, i) => session(i + 1, 'demo-small', 1, 8));
    const ui = renderForTest(
      <App api={new FakeDuffyApi([], sessions)} columns={80} rows={24} refreshMs={60_000} />,
    );
    await waitFor(() => expect(ui.lastFrame()).toContain('no pools'));
    ui.stdin.write('2');
    await waitFor(() => expect(ui.lastFrame()).toContain('Nodes of session 1:'));
    const lines = (ui.lastFrame() ?? '').split('\n');
    expect(lines.length).toBe(23);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
    expect(ui.lastFrame()).toContain('… 2 more');
    ui.unmount();
  });
});
