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
  { keys: 'Up/Down, k/j', where: 'lists', action: 'move the selection' },
  { keys: 'e', where: 'My sessions', action: 'extend the selected session by 1 hour' },
  { keys: 'x', where: 'My sessions', action: 'retire the selected session (y confirms)' },
  { keys: '+, Right', where: 'Request', action: 'one more node from the selected pool' },
  { keys: '-, Left', where: 'Request', action: 'one node less from the selected pool' },
  { keys: 'c', where: 'Request', action: 'clear all quantities' },
  { keys: 'Enter', where: 'Request', action: 'request the session and follow its progress' },
];

export type Screen = 'pools' | 'sessions' | 'request' | 'help';

export const SCREEN_TITLES: Record<Exclude<Screen, 'help'>, string> = {
  pools: 'Pools',
  sessions: 'My sessions',
  request: 'Request session',
};

/** The bottom line: the keys of the screen at hand. */
export const SCREEN_HINTS: Record<Screen, string> = {
  pools: 'Up/Down select  Tab next screen  r refresh  ? help  q quit',
  sessions: 'Up/Down select  e extend +1h  x retire  r refresh  ? help  q quit',
  request: 'Up/Down pool  +/- quantity  c clear  Enter request  ? help  q quit',
  help: 'Esc or ? back  1 2 3 screens  q quit',
};
