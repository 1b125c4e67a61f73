import { Box, Text, useApp, useInput, useStdin } from 'ink';
import { useCallback, useRef } from 'react';
import { formatCountdown } from './countdown.js';
import type { DuffyApi, SessionInfo } from './duffy-api.js';
import { errorText } from './error-text.js';
import { handleInput, type KeyActions } from './handle-key.js';
import { HelpScreen } from './help-screen.js';
import { HISTORY_CHROME_ROWS, HistoryScreen, historyWindow } from './history-screen.js';
import { SCREEN_HINTS, type Screen } from './key-bindings.js';
import { PoolsScreen } from './pools-screen.js';
import { progressText } from './progress-text.js';
import { nextWait, RequestScreen } from './request-screen.js';
import { SessionsScreen } from './sessions-screen.js';
import { StatusLine } from './status-line.js';
import { TitleBar } from './title-bar.js';
import { useDuffyData, type DuffyData } from './use-duffy-data.js';
import { useNow } from './use-now.js';
import { useSessionRequest, type SessionRequest } from './use-session-request.js';
import { useViewStore, type HistoryTarget } from './use-view-store.js';

export interface AppProps {
  api: DuffyApi;
  /** Terminal size; the frame stays within `columns` and one row short of `rows`. */
  columns?: number;
  rows?: number;
  refreshMs?: number;
  /** How often a pending request's progress is polled. */
  pollMs?: number;
  /** How often a request waiting in line is read again. */
  queuePollMs?: number;
  /** How often countdowns move. */
  tickMs?: number;
  clock?: () => Date;
  /** Called when the user quits, before the app exits. */
  onQuit?: () => void;
}

const SCREENS: Screen[] = ['pools', 'sessions', 'request'];
const systemClock = () => new Date();
const clamp = (i: number, length: number) => Math.max(Math.min(i, length - 1), 0);
const byId = (sessions: SessionInfo[]) => [...sessions].sort((a, b) => a.id - b.id);

/** The `duffy ui` TUI: pools, my sessions, requesting one, extending and retiring. */
export function App({
  api,
  columns = 80,
  rows = 24,
  refreshMs = 2_000,
  pollMs = 500,
  queuePollMs = 2_000,
  tickMs = 1_000,
  clock = systemClock,
  onQuit,
}: AppProps) {
  const { exit } = useApp();
  // Without a raw-capable stdin, useInput would crash Ink: then the app only displays.
  const { isRawModeSupported } = useStdin();
  const data = useDuffyData(api, refreshMs);
  const now = useNow(tickMs, clock);
  const view = useViewStore();
  // The key handlers read the latest data through this ref, not a render's copy.
  const latest = useRef<DuffyData>(data);
  latest.current = data;

  const { refresh } = data;
  const onSettled = useCallback(
    (r: SessionRequest) => {
      view.update(
        r.cancelled && r.result
          ? { message: { text: `request cancelled: session ${r.result.id} retired` } }
          : r.result
            ? {
                message: {
                  text: `session ${r.result.id} is ready with ${r.result.nodes.length} node(s)`,
                },
                quantities: {},
              }
            : { message: { text: `request failed: ${r.error}`, error: true } },
      );
      void refresh();
    },
    [refresh, view],
  );
  const { request, submit, isPending, cancel, queuedSession } = useSessionRequest(
    api,
    pollMs,
    onSettled,
    clock,
    queuePollMs,
  );

  const say = (text: string, error = false) => view.update({ message: { text, error } });
  const act = (label: string, action: () => Promise<string>) => {
    say(`${label}…`);
    action().then(
      (text) => say(text),
      (e: unknown) => say(errorText(e), true),
    );
  };
  const height = Math.max(rows - 5 - (data.error ? 1 : 0), 1);
  const historyRows = Math.max(height - HISTORY_CHROME_ROWS, 1);
  const loadHistory = (target: HistoryTarget) => {
    const load =
      target.kind === 'session' ? api.sessionTimeline(target.id) : api.nodeHistory(target.node);
    // A late answer for a history the user has left is dropped.
    const current = () => view.current.history?.target === target;
    load.then(
      (entries) => {
        if (current())
          view.update((s) => ({ history: { ...s.history!, entries, error: undefined } }));
      },
      (e: unknown) => {
        if (!current()) return;
        view.update((s) => ({ history: { ...s.history!, error: errorText(e) } }));
        say(errorText(e), true);
      },
    );
  };
  const selectedSession = () => {
    const sessions = byId(latest.current.sessions);
    return sessions[clamp(view.current.sessionIndex, sessions.length)];
  };
  const selectedRequestPool = () => {
    const pools = latest.current.pools;
    return pools[clamp(view.current.requestIndex, pools.length)];
  };

  const actions: KeyActions = {
    screen: () => view.current.screen,
    confirming: () => view.current.retiring !== undefined,
    quit: () => {
      onQuit?.();
      exit();
    },
    show: (next) =>
      view.update((s) => ({
        screen: next,
        before: next === 'help' && s.screen !== 'help' ? s.screen : s.before,
      })),
    back: () => view.update((s) => ({ screen: s.before })),
    nextScreen: (step) =>
      view.update((s) => {
        const at = Math.max(SCREENS.indexOf(s.screen), 0);
        return { screen: SCREENS[(at + step + SCREENS.length) % SCREENS.length] };
      }),
    refresh: () => {
      const { history, screen } = view.current;
      if (screen === 'history' && history) {
        view.update({ message: undefined });
        return loadHistory(history.target);
      }
      say('refreshing…');
      void refresh().then(() => view.update({ message: undefined }));
    },
    move: (step) =>
      view.update((s) => {
        const { pools, sessions } = latest.current;
        if (s.screen === 'pools') return { poolIndex: clamp(s.poolIndex + step, pools.length) };
        if (s.screen === 'request') {
          return { requestIndex: clamp(s.requestIndex + step, pools.length) };
        }
        return { sessionIndex: clamp(s.sessionIndex + step, sessions.length), nodeIndex: 0 };
      }),
    moveNode: (step) =>
      view.update((s) => {
        const nodes = selectedSession()?.nodes ?? [];
        return { nodeIndex: clamp(clamp(s.nodeIndex, nodes.length) + step, nodes.length) };
      }),
    openHistory: (of) => {
      const session = selectedSession();
      if (!session) return say('no session selected', true);
      let target: HistoryTarget = { kind: 'session', id: session.id };
      if (of === 'node') {
        const node = session.nodes[clamp(view.current.nodeIndex, session.nodes.length)];
        if (!node) return say(`session ${session.id} has no nodes`, true);
        if (!node.hostname) return say('the selected node has no hostname yet', true);
        target = { kind: 'node', node: node.hostname, session: session.id };
      }
      view.update({ screen: 'history', history: { target, top: 0 }, message: undefined });
      loadHistory(target);
    },
    scroll: (lines) =>
      view.update((s) => {
        if (!s.history) return {};
        const total = s.history.entries?.length ?? 0;
        const [start] = historyWindow(total, s.history.top, historyRows);
        const top = Math.max(Math.min(start + lines, total - historyRows), 0);
        return { history: { ...s.history, top } };
      }),
    scrollPages: (pages) => actions.scroll(pages * historyRows),
    closeHistory: () => view.update({ screen: 'sessions', message: undefined }),
    extend: () => {
      const session = selectedSession();
      if (!session) return say('no session selected', true);
      act(`extending session ${session.id} by 1 hour`, async () => {
        const extended = await api.extendSession(session.id, '+1h');
        void refresh();
        const left = formatCountdown(extended.expiresAt, clock());
        return `session ${session.id} extended: expires in ${left} (${extended.expiresAt ?? 'never'})`;
      });
    },
    askRetire: () => {
      const session = selectedSession();
      if (!session) return say('no session selected', true);
      view.update({
        retiring: session.id,
        message: { text: `retire session ${session.id}? y retires, any other key keeps it` },
      });
    },
    answerRetire: (confirmed) => {
      const id = view.current.retiring;
      const queued = view.current.retiringQueued === true;
      view.update({ retiring: undefined, retiringQueued: undefined });
      if (queued) {
        if (!confirmed) return say('the request stays in line');
        return act(`cancelling the request (session ${id})`, async () => {
          await cancel();
          return `request cancelled: session ${id} retired`;
        });
      }
      if (!confirmed || id === undefined) return say('retire cancelled');
      act(`retiring session ${id}`, async () => {
        await api.retireSession(id);
        void refresh();
        return `session ${id} retired`;
      });
    },
    changeQuantity: (step) => {
      const pool = selectedRequestPool();
      if (!pool) return;
      view.update(({ quantities: q }) => ({
        quantities: { ...q, [pool.name]: Math.max((q[pool.name] ?? 0) + step, 0) },
      }));
    },
    clearQuantities: () => view.update({ quantities: {} }),
    changeWait: () => view.update((s) => ({ wait: nextWait(s.wait) })),
    askCancelRequest: () => {
      const id = queuedSession();
      if (id === undefined) return say('no request is waiting in line', true);
      view.update({
        retiring: id,
        retiringQueued: true,
        message: { text: `cancel the request (session ${id})? y cancels, any other key keeps it` },
      });
    },
    submit: () => {
      if (isPending()) return say('a request is already running');
      const { quantities } = view.current;
      const specs = latest.current.pools
        .filter((p) => (quantities[p.name] ?? 0) > 0)
        .map((p) => ({ pool: p.name, quantity: quantities[p.name] }));
      if (specs.length === 0) return say('choose at least one node with + first', true);
      view.update({ message: undefined });
      void submit(
        specs,
        latest.current.sessions.map((s) => s.id),
        view.current.wait,
      );
    },
  };
  useInput((input, key) => handleInput(input, key, actions), { isActive: isRawModeSupported });

  const state = view.current;
  const sessions = byId(data.sessions);
  const selected = clamp(state.sessionIndex, sessions.length);
  // A message set while a request runs (e.g. an extension's outcome) goes before its progress.
  const progress = request?.pending ? { text: progressText(request, now) } : undefined;
  const status = state.message ?? progress;
  return (
    <Box flexDirection="column" width={columns}>
      <TitleBar screen={state.screen} />
      <Text wrap="truncate">{'─'.repeat(columns)}</Text>
      {data.error && (
        <Text wrap="truncate" color="red">
          {data.error}
        </Text>
      )}
      <Box flexDirection="column" height={height}>
        {state.screen === 'pools' && (
          <PoolsScreen
            pools={data.pools}
            loaded={data.loaded}
            selected={clamp(state.poolIndex, data.pools.length)}
            height={height}
          />
        )}
        {state.screen === 'sessions' && (
          <SessionsScreen
            sessions={sessions}
            loaded={data.loaded}
            selected={selected}
            selectedNode={clamp(state.nodeIndex, sessions[selected]?.nodes.length ?? 0)}
            now={now}
            height={height}
          />
        )}
        {state.screen === 'request' && (
          <RequestScreen
            pools={data.pools}
            loaded={data.loaded}
            quantities={state.quantities}
            wait={state.wait}
            selected={clamp(state.requestIndex, data.pools.length)}
            request={request}
            now={now}
            height={height}
          />
        )}
        {state.screen === 'history' && state.history && (
          <HistoryScreen history={state.history} columns={columns} height={height} />
        )}
        {state.screen === 'help' && <HelpScreen height={height} />}
      </Box>
      <StatusLine message={status} />
      <Text wrap="truncate" dimColor>
        {SCREEN_HINTS[state.screen]}
      </Text>
    </Box>
  );
}
