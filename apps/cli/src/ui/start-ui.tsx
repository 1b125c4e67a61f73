import { render } from 'ink';
import type { AppProps } from './app.js';
import type { DuffyApi } from './duffy-api.js';
import { TerminalApp } from './terminal-app.js';

export interface StartUiOptions extends Omit<AppProps, 'api' | 'columns' | 'rows' | 'onQuit'> {
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

// The alternate screen keeps the shell's scrollback clean and restores it on quit.
const ENTER_ALTERNATE_SCREEN = '\x1b[?1049h';
const LEAVE_ALTERNATE_SCREEN = '\x1b[?1049l';

/**
 * Runs the interactive TUI on a terminal until the user quits (q or Ctrl-C). The caller
 * checks first that stdin and stdout are terminals (see `isInteractiveTerminal`).
 */
export async function startUi(api: DuffyApi, options: StartUiOptions = {}): Promise<void> {
  const { stdout = process.stdout, stdin = process.stdin, ...appOptions } = options;
  stdout.write(ENTER_ALTERNATE_SCREEN);
  try {
    // Ctrl-C is one of the App's own keys, so that it quits the same way as q.
    const instance = render(<TerminalApp api={api} {...appOptions} />, {
      stdout,
      stdin,
      exitOnCtrlC: false,
    });
    await instance.waitUntilExit();
  } finally {
    stdout.write(LEAVE_ALTERNATE_SCREEN);
  }
}

/** True when the TUI can run: stdout is a terminal and stdin a terminal that has raw mode. */
export function isInteractiveTerminal(
  stdout: { isTTY?: boolean } = process.stdout,
  stdin: { isTTY?: boolean; setRawMode?: unknown } = process.stdin,
  env: Record<string, string | undefined> = process.env,
): boolean {
  return (
    stdout.isTTY === true &&
    stdin.isTTY === true &&
    typeof stdin.setRawMode === 'function' &&
    !inkSeesCi(env)
  );
}

/**
 * Ink draws only the last frame when it believes it runs in CI (its `is-in-ci` check, the same
 * as here), so a terminal with CI set gets the plain snapshot instead of a screen that stays blank.
 */
function inkSeesCi(env: Record<string, string | undefined>): boolean {
  const set = (key: string) => key in env && env[key] !== '0' && env[key] !== 'false';
  return set('CI') || set('CONTINUOUS_INTEGRATION');
}
