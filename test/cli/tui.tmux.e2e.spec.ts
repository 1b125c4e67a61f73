import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DUFFY_BIN,
  DuffyDev,
  eventually,
  freePortPair,
  ROOT,
  startDuffyDev,
} from '../support/duffy-dev';

// The Ink TUI in a real terminal (tmux, 80x24) against a real `duffy dev`: what a person sees
// and types. A private tmux server (-L) keeps it away from anyone else's sessions.
jest.setTimeout(180_000);

const socket = `duffy-tui-${process.pid}`;
const tmux = (...args: string[]) =>
  execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'ui');
const press = (...keys: string[]) => tmux('send-keys', '-t', 'ui', ...keys);

async function shows(text: string | RegExp, timeoutMs = 30_000): Promise<string> {
  try {
    return await eventually(
      async () => {
        const s = screen();
        return (typeof text === 'string' ? s.includes(text) : text.test(s)) ? s : undefined;
      },
      timeoutMs,
      `the screen to show ${String(text)}`,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; it shows:\n${screen()}`);
  }
}

describe('duffy ui in tmux against duffy dev', () => {
  let dataDir: string;
  let dev: DuffyDev | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'duffy-tui-e2e-'));
    const port = await freePortPair();
    dev = await startDuffyDev(['--data', dataDir, '--port', String(port)]);
    // A person's terminal: CI (set by the CI run) would make Ink draw no frames, and duffy ui
    // would rightly print its plain snapshot instead.
    const ui = `${DUFFY_BIN} ui -c ${join(dataDir, 'duffy-client.yaml')}`;
    const command = `cd ${ROOT} && env -u CI -u CONTINUOUS_INTEGRATION ${ui}; sleep 60`;
    tmux('new-session', '-d', '-s', 'ui', '-x', '80', '-y', '24', command);
  });

  afterAll(async () => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    await dev?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the demo pools filled, with level bars, within 80x24', async () => {
    const s = await shows(/demo-small +3\/3 +\[#{10}\]/);
    expect(s).toMatch(/demo-large +2\/2 +\[#{10}\]/);
    expect(s).toContain('[1 Pools]');
    const lines = s.split('\n');
    expect(lines.length).toBeLessThanOrEqual(25); // 24 rows and capture-pane's last newline
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
  });

  it('requests a session of two nodes and follows it until the nodes are deployed', async () => {
    press('3');
    await shows('[3 Request session]');
    press('+', '+');
    await shows('Request: demo-small:2');
    press('Enter');
    const s = await shows(/Session 1 is ready/, 60_000);
    expect(s.match(/n1\d\.demo\.localhost \(127\.0\.0\.1\d\) +demo-small +deployed/g)).toHaveLength(
      2,
    );
  });

  it('lists the session with its expiry countdown, extends it by an hour, and retires it', async () => {
    press('2');
    const before = await shows(/> 1 +demo-small:2 +2 +05:5\d:\d\d/);
    expect(before).toContain('[2 My sessions]');
    press('e');
    await shows(/> 1 +demo-small:2 +2 +06:5\d:\d\d/);
    press('x');
    await shows('retire session 1? y retires');
    press('y');
    await shows('no active sessions');
  });

  it('shows the key bindings on ? and quits on q', async () => {
    press('?');
    const help = await shows('[? help]');
    expect(help).toMatch(/Enter +Request +request the session/);
    press('q');
    await eventually(
      async () => (screen().includes('Duffy ') ? undefined : true),
      10_000,
      'the TUI to quit',
    );
  });
});
