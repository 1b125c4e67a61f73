import type { Key } from 'ink';
import type { Screen } from './key-bindings.js';

/** What the keys can do; the App implements it over its state. */
export interface KeyActions {
  screen(): Screen;
  /** A retire waits for its confirmation: the next key answers it. */
  confirming(): boolean;
  quit(): void;
  show(screen: Screen): void;
  /** Leaves the help screen for the screen it was opened from. */
  back(): void;
  nextScreen(step: 1 | -1): void;
  refresh(): void;
  /** Moves the selection of the current list. */
  move(step: number): void;
  extend(): void;
  askRetire(): void;
  answerRetire(confirmed: boolean): void;
  changeQuantity(step: 1 | -1): void;
  clearQuantities(): void;
  /** Steps the wait in line the next request asks for. */
  changeWait(): void;
  submit(): void;
  /** Asks to cancel the request waiting in line; `answerRetire` confirms it. */
  askCancelRequest(): void;
  /** Moves the node selection within the selected session. */
  moveNode(step: 1 | -1): void;
  /** Opens the History screen on the selected session or on its selected node. */
  openHistory(of: 'session' | 'node'): void;
  /** Scrolls the History by lines; ±Infinity goes to its first or last events. */
  scroll(lines: number): void;
  /** Scrolls the History by pages. */
  scrollPages(pages: 1 | -1): void;
  closeHistory(): void;
}

const SCREEN_KEYS: Record<string, Screen> = { '1': 'pools', '2': 'sessions', '3': 'request' };

/**
 * Dispatches what Ink's useInput reports. Several plain characters at once (a paste, or tmux
 * send-keys) count as one key press each.
 */
export function handleInput(input: string, key: Key, a: KeyActions): void {
  if (input.length > 1 && !key.ctrl && !key.meta) {
    for (const char of input) {
      const enter = char === '\r' || char === '\n';
      const tab = char === '\t';
      const plain = { ...key, return: enter, tab, shift: /[A-Z]/.test(char) };
      handleKey(enter || tab ? '' : char, plain, a);
    }
  } else {
    handleKey(input, key, a);
  }
}

/** Dispatches one key press to the actions; see KEY_BINDINGS. */
export function handleKey(input: string, key: Key, a: KeyActions): void {
  if (key.ctrl && input === 'c') return a.quit();
  if (a.confirming()) return a.answerRetire(input === 'y');
  if (input === 'q') return a.quit();
  if (input in SCREEN_KEYS) return a.show(SCREEN_KEYS[input]);
  if (key.tab) return a.nextScreen(key.shift ? -1 : 1);
  if (input === 'r') return a.refresh();
  const screen = a.screen();
  if (screen === 'help') {
    if (key.escape || input === '?') a.back();
    return;
  }
  if (input === '?') return a.show('help');
  if (screen === 'history') {
    if (key.escape) return a.closeHistory();
    if (key.upArrow || input === 'k') return a.scroll(-1);
    if (key.downArrow || input === 'j') return a.scroll(1);
    if (key.pageUp) return a.scrollPages(-1);
    if (key.pageDown) return a.scrollPages(1);
    if (key.home || input === 'g') return a.scroll(-Infinity);
    if (key.end || input === 'G') return a.scroll(Infinity);
    return;
  }
  if (key.upArrow || input === 'k') return a.move(-1);
  if (key.downArrow || input === 'j') return a.move(1);
  if (screen === 'sessions') {
    if (input === 'e') a.extend();
    if (input === 'x') a.askRetire();
    if (key.leftArrow) a.moveNode(-1);
    if (key.rightArrow) a.moveNode(1);
    if (input === 'h') a.openHistory('session');
    if (input === 'n') a.openHistory('node');
  }
  if (screen === 'request') {
    if (input === '+' || key.rightArrow) a.changeQuantity(1);
    if (input === '-' || key.leftArrow) a.changeQuantity(-1);
    if (input === 'c') a.clearQuantities();
    if (input === 'w') a.changeWait();
    if (input === 'x') a.askCancelRequest();
    if (key.return) a.submit();
  }
}
