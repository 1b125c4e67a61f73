import { useReducer, useRef } from 'react';
import type { HistoryEntry } from './duffy-api.js';
import type { Screen } from './key-bindings.js';
import type { StatusMessage } from './status-line.js';

/** Whose history the History screen shows: a session's timeline, or a node's history. */
export type HistoryTarget =
  { kind: 'session'; id: number } | { kind: 'node'; node: string; session: number };

/** The History screen: what it shows, once loaded, and the first line in view. */
export interface HistoryView {
  target: HistoryTarget;
  entries?: HistoryEntry[];
  error?: string;
  top: number;
}

/** What the user has chosen and sees, apart from the API's data. */
export interface ViewState {
  screen: Screen;
  /** The screen the help was opened from. */
  before: Screen;
  poolIndex: number;
  sessionIndex: number;
  /** The selected node of the selected session. */
  nodeIndex: number;
  requestIndex: number;
  quantities: Record<string, number>;
  /** The wait in line a request asks for (`10m`); undefined: none, as the original. */
  wait?: string;
  /** A session whose retirement waits for its confirmation. */
  retiring?: number;
  /** The retirement asked is the cancel of the request waiting in line. */
  retiringQueued?: boolean;
  message?: StatusMessage;
  history?: HistoryView;
}

const INITIAL: ViewState = {
  screen: 'pools',
  before: 'pools',
  poolIndex: 0,
  sessionIndex: 0,
  nodeIndex: 0,
  requestIndex: 0,
  quantities: {},
};

export interface ViewStore {
  /** Always the latest state, also between a change and the render it causes. */
  readonly current: ViewState;
  update(change: Partial<ViewState> | ((state: ViewState) => Partial<ViewState>)): void;
}

/**
 * The view state in a ref, re-rendering on change. Keys typed faster than React renders (or
 * sent at once, as tmux does) must each see the state the previous key left, which a
 * useState value captured in a key handler does not guarantee.
 */
export function useViewStore(): ViewStore {
  const state = useRef<ViewState>(INITIAL);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const store = useRef<ViewStore>({
    get current() {
      return state.current;
    },
    update(change) {
      const patch = typeof change === 'function' ? change(state.current) : change;
      state.current = { ...state.current, ...patch };
      rerender();
    },
  });
  return store.current;
}
