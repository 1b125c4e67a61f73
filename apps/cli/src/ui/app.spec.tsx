import { cleanup, render } from 'ink-testing-library';
import { ApiError, UnreachableError } from '../client/api-client.js';
import { historyEntry } from '../client/audit/testing/history-entries.js';
import { App, type AppProps } from './app.js';
import { KEY_BINDINGS } from './key-bindings.js';
import { FakeDuffyApi } from './testing/fake-duffy-api.js';
import { NOW, pool, session } from './testing/fixtures.js';
import { waitFor } from './testing/wait-for.js';

const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  enter: '\r',
  escape: '\u001B',
  tab: '\t',
  shiftTab: '\u001B[Z',
  ctrlC: '\u0003',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  home: '\u001B[H',
  end: '\u001B[F',
};

const LONG = 'virtual-centos9stream-x86_64-a-pool-name-longer-than-any-column';

function fixture() {
  return new FakeDuffyApi(
    [
      pool('demo-small', 5, 3, { provisioning: 2, deployed: 2 }),
      pool(LONG, 4, 1, { contextualizing: 1, deprovisioning: 1 }),
    ],
    [session(7, 'demo-small', 2, 2), session(9, LONG, 0.5)],
  );
}

/** Renders the App at 80x24 with a clock the test moves, and waits for the first data. */
async function start(api = fixture(), props: Partial<AppProps> = {}) {
  let now = NOW;
  const quits: number[] = [];
  const onQuit = () => quits.push(Date.now());
  const ui = render(
    <App
      api={api}
      columns={80}
      rows={24}
      refreshMs={60_000}
      pollMs={10}
      tickMs={10}
      clock={() => new Date(now)}
      onQuit={onQuit}
      {...props}
    />,
  );
  const frame = () => ui.lastFrame() ?? '';
  await waitFor(() => api.callsOf('listSessions').length > 0 && !frame().includes('loading'));
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      ui.stdin.write(k);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const see = (text: string | RegExp) =>
    waitFor(() =>
      typeof text === 'string' ? expect(frame()).toContain(text) : expect(frame()).toMatch(text),
    );
  return { ...ui, api, frame, press, see, quits, advance: (ms: number) => (now += ms) };
}

/** No line wider than 80 columns and fewer lines than the 24 rows (Ink clears on a full screen). */
function expectFits(frame: string) {
  const lines = frame.split('\n');
  expect(lines.length).toBeLessThan(24);
  for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
}

// Unmounts what a failed test left running, or its timers would keep jest alive.
afterEach(cleanup);

const quote = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('duffy ui: Pools', () => {
  it('shows each pool with ready/fill, a level bar and the counts by state', async () => {
    const ui = await start();
    expect(ui.frame()).toContain('[1 Pools]');
    expect(ui.frame()).toMatch(/> demo-small +3\/5 +\[######----\] +2 +0 +2 +0/);
    expect(ui.frame()).toMatch(
      /virtual-centos9stream-x86_6…\s+1\/4\s+\[###-------\]\s+0\s+1\s+0\s+1/,
    );
    expectFits(ui.frame());
    ui.unmount();
  });

  it('moves the selection with Down/Up and j/k', async () => {
    const ui = await start();
    await ui.press(KEY.down);
    await ui.see(/> virtual-centos9stream/);
    await ui.press('k');
    await ui.see(/> demo-small/);
    await ui.press('j');
    await ui.see(/> virtual-centos9stream/);
    await ui.press(KEY.up);
    await ui.see(/> demo-small/);
    ui.unmount();
  });

  it('scrolls a long list to keep the selection within 24 rows', async () => {
    const api = new FakeDuffyApi(
      Array.from({ length: 40 }, (_, i) => pool(`pool-${String(i).padStart(2, '0')}`, 2, 1)),
    );
    const ui = await start(api);
    expect(ui.frame()).toContain('pool-00');
    expect(ui.frame()).not.toContain('pool-39');
    for (let i = 0; i < 39; i++) await ui.press('j');
    await ui.see(/> pool-39/);
    expect(ui.frame()).not.toContain('pool-00');
    expectFits(ui.frame());
    ui.unmount();
  });
});

describe('duffy ui: My sessions', () => {
  it('lists my sessions with pools, countdown, state and the selected one’s nodes', async () => {
    const ui = await start();
    await ui.press('2');
    await ui.see('[2 My sessions]');
    expect(ui.frame()).toMatch(/> 7 +demo-small:2 +2 +02:00:00 +2 deployed/);
    expect(ui.frame()).toMatch(/ {2}9 +virtual-centos9stream-x… +1 +00:30:00 +1 deployed/);
    expect(ui.frame()).toContain('Nodes of session 7:');
    expect(ui.frame()).toMatch(/s7-n1\.pool\.example\.org \(172\.16\.7\.1\) +demo-small +deployed/);
    expect(ui.frame()).toContain('s7-n2.pool.example.org (172.16.7.2)');
    expectFits(ui.frame());
    ui.unmount();
  });

  it('counts the expiry down every tick', async () => {
    const ui = await start();
    await ui.press('2');
    await ui.see('02:00:00');
    ui.advance(1_000);
    await ui.see('01:59:59');
    ui.advance(30 * 60_000);
    await ui.see(/9 .* expired/);
    ui.unmount();
  });

  it('selects another session with Down and shows its nodes', async () => {
    const ui = await start();
    await ui.press('2', KEY.down);
    await ui.see('Nodes of session 9:');
    expect(ui.frame()).toMatch(/> 9 /);
    expect(ui.frame()).toContain('s9-n1.pool.example.org (172.16.9.1)');
    await ui.press(KEY.up);
    await ui.see('Nodes of session 7:');
    ui.unmount();
  });

  it('extends the selected session by one hour with e', async () => {
    const ui = await start();
    await ui.press('2', 'e');
    await ui.see('session 7 extended: expires in 03:00:00 (2030-01-01T03:00:00Z)');
    expect(ui.api.callsOf('extendSession')).toEqual([[7, '+1h']]);
    await ui.see(/> 7 +demo-small:2 +2 +03:00:00/);
    ui.unmount();
  });

  it('retires the selected session with x only after y', async () => {
    const ui = await start();
    await ui.press('2', 'x');
    await ui.see('retire session 7? y retires, any other key keeps it');
    await ui.press('n');
    await ui.see('retire cancelled');
    expect(ui.api.callsOf('retireSession')).toEqual([]);
    await ui.press('x', 'y');
    await ui.see('session 7 retired');
    expect(ui.api.callsOf('retireSession')).toEqual([[7]]);
    await waitFor(() => expect(ui.frame()).not.toMatch(/ 7 +demo-small/));
    ui.unmount();
  });

  it('shows the API error of a failed extension on the message line', async () => {
    const api = fixture();
    api.failures.extendSession = new ApiError(403, 'Forbidden');
    const ui = await start(api);
    await ui.press('2', 'e');
    await ui.see('Error 403: Forbidden (this tenant may not do that, or it is retired)');
    ui.unmount();
  });

  it('says so when there are no sessions', async () => {
    const ui = await start(new FakeDuffyApi([pool('p', 1, 1)], []));
    await ui.press('2', 'e');
    await ui.see('no active sessions; press 3 to request one');
    await ui.see('no session selected');
    ui.unmount();
  });
});

describe('duffy ui: Request session', () => {
  it('chooses quantities with +/-/Right/Left and c, then requests with Enter', async () => {
    const ui = await start();
    await ui.press('3');
    await ui.see('[3 Request session]');
    await ui.see('Nothing chosen yet');
    await ui.press('+', KEY.right, KEY.right, KEY.left);
    await ui.see(/> demo-small +3\/5 +2/);
    await ui.press('c');
    await ui.see('Nothing chosen yet');
    await ui.press('+', 'j', '+', '-', '+');
    await ui.see('Request: demo-small:1, virtual-centos9stream-x86_64-a-pool-name-longer-than-a…');
    await ui.press(KEY.enter);
    await ui.see('Session 100 is ready:');
    expect(ui.api.callsOf('requestSession')).toEqual([
      [
        [
          { pool: 'demo-small', quantity: 1 },
          { pool: LONG, quantity: 1 },
        ],
      ],
    ]);
    expect(ui.frame()).toContain('demo-small-1.example.org (10.0.0.1)');
    await ui.see('session 100 is ready with 2 node(s)');
    expectFits(ui.frame());
    ui.unmount();
  });

  it('shows the phase while the request runs, from pool levels and then the new session', async () => {
    const api = fixture();
    api.holdRequests = true;
    const ui = await start(api);
    await ui.press('3', '+', '+', KEY.enter);
    await ui.see(
      /Requesting 2 node\(s\) from demo-small… \(\d+s\)\n {2}reserving nodes \(3 ready in the pool\)/,
    );
    await ui.see('⠋ reserving nodes (3 ready in the pool) (0s), requesting 2 node(s) from demo-s');
    api.pools[0].levels!.contextualizing = 1;
    await ui.see('\n  waiting for nodes: 1 contextualizing\n');
    ui.advance(3_000);
    await ui.see('⠸ waiting for nodes: 1 contextualizing (3s), requesting 2 node(s) from demo-');
    await ui.see('Requesting 2 node(s) from demo-small… (3s)');
    const fresh = session(42, 'demo-small', 6, 2);
    fresh.nodes[0].state = 'contextualizing';
    api.sessions.push(fresh);
    await ui.see('\n  waiting for nodes: 1 contextualizing, 1 deployed\n');
    await ui.press(KEY.enter);
    await ui.see('a request is already running');
    expectFits(ui.frame());
    api.releaseRequests();
    await ui.see('Session 100 is ready:');
    expect(api.callsOf('requestSession')).toHaveLength(1);
    ui.unmount();
  });

  it('shows the API detail when the request fails', async () => {
    const api = fixture();
    const detail = "can't reserve nodes: quantity=2 pool='demo-small'";
    api.failures.requestSession = new ApiError(422, detail);
    const ui = await start(api);
    await ui.press('3', '+', '+', KEY.enter);
    await ui.see(`Request failed: Error 422: ${detail}`);
    await ui.see(`request failed: Error 422: ${detail}`);
    ui.unmount();
  });

  it('refuses to send an empty request', async () => {
    const ui = await start();
    await ui.press('3', KEY.enter);
    await ui.see('choose at least one node with + first');
    expect(ui.api.callsOf('requestSession')).toEqual([]);
    ui.unmount();
  });
});

describe('duffy ui: Request session waiting in line', () => {
  // The times on screen are the user's; the tests' are UTC.
  const tz = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'UTC';
  });
  afterAll(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  const queue = {
    position: 2,
    ahead_nodes: 3,
    eta: '2030-01-01T00:42:00Z',
    deadline: '2030-01-01T00:50:00Z',
  };

  /** Asks for 2 demo-small nodes waiting up to 10m, queued at position 2. */
  async function queued() {
    const api = fixture();
    api.queueWith = queue;
    const ui = await start(api, { queuePollMs: 10 });
    await ui.press('3', '+', '+');
    await ui.see('Wait in line: no, fail if the nodes are not ready (w changes it)');
    await ui.press('w');
    await ui.see('Wait in line: up to 10m if the nodes are not ready (w changes it)');
    await ui.press(KEY.enter);
    await ui.see('Session 100 waits in line for its nodes…');
    return ui;
  }

  it('asks with the chosen wait and shows the place in line, updated as it moves', async () => {
    const ui = await queued();
    expect(ui.api.callsOf('requestSession')).toEqual([
      [[{ pool: 'demo-small', quantity: 2 }], { wait: '10m' }],
    ]);
    await ui.see('queued: position 2, 3 nodes ahead, eta 00:42 (deadline 00:50)');
    await ui.see('x cancels the request');
    ui.api.sessions.find((s) => s.id === 100)!.queue = { ...queue, position: 1, ahead_nodes: 0 };
    await ui.see('queued: position 1, 0 nodes ahead, eta 00:42 (deadline 00:50)');
    expect(ui.api.callsOf('showSession').length).toBeGreaterThan(0);
    expectFits(ui.frame());
    ui.unmount();
  });

  it('shows the session ready once it is served', async () => {
    const ui = await queued();
    ui.api.serve(100);
    await ui.see('Session 100 is ready:');
    expect(ui.frame()).toContain('demo-small-1.example.org (10.0.0.1)');
    await ui.see('session 100 is ready with 2 node(s)');
    ui.unmount();
  });

  it('cancels with x and y: retires the session and says it is cancelled', async () => {
    const ui = await queued();
    await ui.press('x');
    await ui.see('cancel the request (session 100)? y cancels, any other key keeps it');
    await ui.press('n');
    await ui.see('the request stays in line');
    expect(ui.api.callsOf('retireSession')).toEqual([]);
    await ui.press('x', 'y');
    await ui.see('Request cancelled: session 100 is retired');
    await ui.see('request cancelled: session 100 retired');
    expect(ui.api.callsOf('retireSession')).toEqual([[100]]);
    expect(ui.api.sessions.find((s) => s.id === 100)).toMatchObject({ state: 'retired' });
    ui.unmount();
  });

  it('shows the reason and facts when the wait ends in a failure', async () => {
    const ui = await queued();
    ui.api.fail(100, {
      code: 'deadline_passed',
      detail: 'no node in time',
      facts: { pool: 'demo-small', ready: 0 },
    });
    await ui.see('Request failed: deadline_passed: no node in time\n');
    await ui.see('\n  pool=demo-small, ready=0');
    await ui.see('request failed: session 100 failed: deadline_passed: no node in time');
    ui.unmount();
  });

  it('says so when x is pressed with nothing in line; w cycles back to no wait', async () => {
    const ui = await start();
    await ui.press('3', 'x');
    await ui.see('no request is waiting in line');
    await ui.press('w', 'w');
    await ui.see('Wait in line: up to 1h');
    await ui.press('w');
    await ui.see('Wait in line: no,');
    ui.unmount();
  });
});

describe('duffy ui: History', () => {
  const step = (i: number) => `step ${String(i).padStart(2, '0')}`;
  /** Session 7's timeline of 40 events and its second node's history of 3. */
  function withHistories() {
    const api = fixture();
    api.histories['session:7'] = Array.from({ length: 40 }, (_, i) =>
      historyEntry(i + 1, { summary: step(i + 1) }),
    );
    api.histories['node:s7-n2.pool.example.org'] = [
      historyEntry(2, {
        stream: 'node-12',
        actor: 'provisioner',
        actor_kind: 'provisioner',
        summary: 'playbook provision.yml exit 0 in 41 s',
      }),
      historyEntry(3, { stream: 'node-12', summary: 'reserved for session 7' }),
    ];
    return api;
  }

  it('opens the selected session’s timeline with h, one event a line, within 80x24', async () => {
    const ui = await start(withHistories());
    await ui.press('2', 'h');
    await ui.see('Timeline of session 7: events 1–17 of 40');
    expect(ui.frame().split('\n')[0]).toBe(
      ' Duffy   1 Pools   2 My sessions   3 Request session   [History]  q quit',
    );
    expect(ui.frame()).toMatch(/TIME \(UTC\) +STREAM +ACTOR +SUMMARY/);
    expect(ui.frame()).toMatch(/2026-12-01 14:00:01 +session-12 +alice \(tenant\) +step 01/);
    expect(ui.frame()).toContain(step(17));
    expect(ui.frame()).not.toContain(step(18));
    expect(ui.api.callsOf('sessionTimeline')).toEqual([[7]]);
    expectFits(ui.frame());
    ui.unmount();
  });

  it('scrolls with Up/Down, PgUp/PgDn and Home/End, within the ends', async () => {
    const ui = await start(withHistories());
    await ui.press('2', 'h');
    await ui.see('events 1–17 of 40');
    await ui.press(KEY.up, KEY.pageUp);
    await ui.see('events 1–17 of 40');
    await ui.press(KEY.down);
    await ui.see('events 2–18 of 40');
    expect(ui.frame()).not.toContain(step(1));
    await ui.press('j', 'k', 'j');
    await ui.see('events 3–19 of 40');
    await ui.press(KEY.pageDown);
    await ui.see('events 20–36 of 40');
    await ui.press(KEY.pageDown);
    await ui.see('events 24–40 of 40');
    await ui.press(KEY.down);
    await ui.see('events 24–40 of 40');
    await ui.press(KEY.pageUp);
    await ui.see('events 7–23 of 40');
    await ui.press(KEY.home);
    await ui.see('events 1–17 of 40');
    await ui.press(KEY.end);
    await ui.see(step(40));
    await ui.press('g');
    await ui.see('events 1–17 of 40');
    await ui.press('G');
    await ui.see('events 24–40 of 40');
    expectFits(ui.frame());
    ui.unmount();
  });

  it('goes back to My sessions with Esc, and to the History from its help', async () => {
    const ui = await start(withHistories());
    await ui.press('2', 'h');
    await ui.see('events 1–17 of 40');
    await ui.press('?');
    await ui.see('[? help]');
    await ui.press(KEY.escape);
    await ui.see('events 1–17 of 40');
    await ui.press(KEY.escape);
    await ui.see('[2 My sessions]');
    expect(ui.frame()).toContain('Nodes of session 7:');
    ui.unmount();
  });

  it('selects a node with Right/Left and opens its history with n', async () => {
    const ui = await start(withHistories());
    await ui.press('2');
    await ui.see(/ {2}> s7-n1\.pool\.example\.org/);
    await ui.press(KEY.right, KEY.right);
    await ui.see(/ {2}> s7-n2\.pool\.example\.org/);
    expect(ui.frame()).toMatch(/ {4}s7-n1\.pool\.example\.org/);
    await ui.press('n');
    await ui.see('History of node s7-n2.pool.example.org (session 7): events 1–2 of 2');
    expect(ui.frame()).toMatch(/node-12 +provisioner +playbook provision\.yml exit 0 in/);
    expect(ui.api.callsOf('nodeHistory')).toEqual([['s7-n2.pool.example.org']]);
    await ui.press(KEY.escape, KEY.left);
    await ui.see(/ {2}> s7-n1\.pool\.example\.org/);
    ui.unmount();
  });

  it('shows the API error when the history cannot be read, and reloads on r', async () => {
    const ui = await start(withHistories());
    await ui.press('2', 'j', 'h');
    await ui.see('Timeline of session 9');
    await ui.see('could not be read (r tries again)');
    await ui.see('Error 404: no history of session:9');
    ui.api.histories['session:9'] = [historyEntry(1, { summary: 'requested 1 node' })];
    await ui.press('r');
    await ui.see('Timeline of session 9: events 1–1 of 1');
    expect(ui.frame()).toContain('requested 1 node');
    expect(ui.frame()).not.toContain('Error 404');
    expect(ui.api.callsOf('sessionTimeline')).toEqual([[9], [9]]);
    ui.unmount();
  });

  it('says so when the session has no events', async () => {
    const api = withHistories();
    api.histories['session:7'] = [];
    const ui = await start(api);
    await ui.press('2', 'h');
    await ui.see('no events');
    ui.unmount();
  });
});

describe('duffy ui: navigation, help, refresh, quit', () => {
  it('lists every key binding on ? and goes back with Esc or ?', async () => {
    const ui = await start();
    await ui.press('2', '?');
    await ui.see('[? help]');
    for (const b of KEY_BINDINGS) {
      expect(ui.frame()).toMatch(
        new RegExp(`${quote(b.keys)} +${quote(b.where)} +${quote(b.action)}`),
      );
    }
    expectFits(ui.frame());
    await ui.press(KEY.escape);
    await ui.see('[2 My sessions]');
    await ui.press('?');
    await ui.see('[? help]');
    await ui.press('?');
    await ui.see('[2 My sessions]');
    ui.unmount();
  });

  it('cycles the screens with Tab and Shift-Tab, and jumps with 1 2 3', async () => {
    const ui = await start();
    await ui.press(KEY.tab);
    await ui.see('[2 My sessions]');
    await ui.press(KEY.tab);
    await ui.see('[3 Request session]');
    await ui.press(KEY.tab);
    await ui.see('[1 Pools]');
    await ui.press(KEY.shiftTab);
    await ui.see('[3 Request session]');
    await ui.press('1');
    await ui.see('[1 Pools]');
    ui.unmount();
  });

  it('refreshes now on r', async () => {
    const ui = await start();
    ui.api.pools[0].levels!.ready = 5;
    await ui.press('r');
    await ui.see(/> demo-small +5\/5 +\[##########\]/);
    ui.unmount();
  });

  it('refreshes on its own every refreshMs', async () => {
    const ui = await start(fixture(), { refreshMs: 20 });
    ui.api.sessions.push(session(11, 'demo-small', 1));
    await ui.press('2');
    await ui.see(/ 11 +demo-small:1/);
    ui.unmount();
  });

  it.each([
    ['q', 'q'],
    ['Ctrl-C', KEY.ctrlC],
  ])('quits on %s', async (_name, key) => {
    const ui = await start();
    await ui.press(key);
    await waitFor(() => expect(ui.quits).toHaveLength(1));
    ui.unmount();
  });
});

describe('duffy ui: API errors', () => {
  it('shows bad credentials as a message line and still shows the pools', async () => {
    const api = fixture();
    api.failures.listSessions = new ApiError(401, 'Unauthorized');
    const ui = await start(api);
    await ui.see('Error 401: Unauthorized (check --auth-name and --auth-key');
    expect(ui.frame()).toContain('> demo-small');
    expectFits(ui.frame());
    ui.unmount();
  });

  it('shows an unreachable server as a message line, and recovers on refresh', async () => {
    const api = fixture();
    const down = new UnreachableError(
      'cannot reach the Duffy API at http://127.0.0.1:9/api/v1/pools: ECONNREFUSED',
    );
    api.failures.listPools = down;
    api.failures.listSessions = down;
    const ui = await start(api);
    await ui.see('Error: cannot reach the Duffy API at http://127.0.0.1:9/api/v1/pools: ECONNR');
    expect(ui.frame()).toContain('no pools');
    expectFits(ui.frame());
    delete api.failures.listPools;
    delete api.failures.listSessions;
    await ui.press('r');
    await ui.see('> demo-small');
    expect(ui.frame()).not.toContain('cannot reach');
    ui.unmount();
  });
});
