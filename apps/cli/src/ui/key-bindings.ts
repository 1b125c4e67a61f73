/** Every key the TUI reacts to, for the help screen and its test. */
export interface KeyBinding {
  keys: string;
  where: string;
  action: string;
}

export const KEY_BINDINGS: KeyBinding[] = [
  { keys: '1 2 3', where: 'anywhere', action: 'Pools, My sessions, Request session' },
  { keys: 'Tab', where: 'anywhere', action: 'next screen' },
  { keys: '?', where: 'anywhere', action: 'this help; Esc or ? goes back' },
  { keys: 'r', where: 'anywhere', action: 'refresh now (it also refreshes every 2 s)' },
  { keys: 'q, Ctrl-C', where: 'anywhere', action: 'quit' },
  { keys: 'Up/Down, k/j', where: 'lists', action: 'move the selection; in History, scroll' },
  { keys: 'e', where: 'My sessions', action: 'extend the selected session by 1 hour' },
  { keys: 'x', where: 'My sessions', action: 'retire the selected session (y confirms)' },
  { keys: 'Left/Right', where: 'My sessions', action: 'select a node of the selected session' },
  { keys: 'h / n', where: 'My sessions', action: 'History of the session / of the selected node' },
  { keys: 'PgUp/PgDn', where: 'History', action: 'scroll one page' },
  { keys: 'Home/End, g/G', where: 'History', action: 'first / last events' },
  { keys: 'Esc', where: 'History', action: 'back to My sessions' },
  { keys: '+, Right', where: 'Request', action: 'one more node from the selected pool' },
  { keys: '-, Left', where: 'Request', action: 'one node less from the selected pool' },
  { keys: 'c / w', where: 'Request', action: 'clear the quantities / change the wait in line' },
  { keys: 'Enter', where: 'Request', action: 'request the session and follow its progress' },
  { keys: 'x', where: 'Request', action: 'cancel the request waiting in line (y confirms)' },
];

export type Screen = 'pools' | 'sessions' | 'request' | 'history' | 'help';

/** The numbered screens; History opens from My sessions, help from anywhere. */
export const SCREEN_TITLES: Record<Exclude<Screen, 'help' | 'history'>, string> = {
  pools: 'Pools',
  sessions: 'My sessions',
  request: 'Request session',
};

/** The bottom line: the keys of the screen at hand. */
export const SCREEN_HINTS: Record<Screen, string> = {
  pools: 'Up/Down select  Tab next screen  r refresh  ? help  q quit',
  sessions: 'Up/Down select  Left/Right node  e +1h  x retire  h/n history  ? help  q quit',
  request: 'Up/Down pool  +/- qty  c clear  w wait  Enter request  x cancel  ? help  q quit',
  history: 'Up/Down scroll  PgUp/PgDn page  Home/End  Esc back  r reload  ? help  q quit',
  help: 'Esc or ? back  1 2 3 screens  q quit',
};
