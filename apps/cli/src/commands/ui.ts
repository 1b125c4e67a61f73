import { UsageError } from '../argv.js';
import type { Command, CommandArgs } from '../command.js';
import type { CliIo } from '../io.js';
import { CLIENT_OPTIONS } from '../client/client-options.js';
import { clientSettings, type ClientSettings } from '../client/settings.js';
import type { DuffyApi } from '../ui/duffy-api.js';
import { httpDuffyApi } from '../ui/http-duffy-api.js';
import { plainSnapshot } from '../ui/plain-snapshot.js';
import { isInteractiveTerminal, startUi } from '../ui/start-ui.js';
import { loadConfigForCli } from './load-for-cli.js';

/** How `duffy ui` reaches the API and the terminal; tests replace them. */
export interface UiEnvironment {
  makeApi(settings: ClientSettings): DuffyApi;
  interactive(): boolean;
  start(api: DuffyApi): Promise<void>;
  now(): Date;
}

// A refresh must not hang the screen for long; changes keep the client's timeouts.
const READ_TIMEOUT_MS = 10_000;

const processEnvironment: UiEnvironment = {
  makeApi: (settings) => httpDuffyApi(settings, READ_TIMEOUT_MS),
  interactive: () => isInteractiveTerminal(),
  start: (api) => startUi(api),
  now: () => new Date(),
};

/** The connection options of `duffy client`; the output format means nothing here. */
const UI_OPTIONS = CLIENT_OPTIONS.filter((o) => o.name !== 'format');

/**
 * `duffy ui`: the interactive TUI on a terminal; otherwise a plain snapshot of the pools and
 * my sessions, exiting 1 if the API could not be read.
 */
export function uiCommandWith(environment: UiEnvironment): Command {
  return {
    words: ['ui'],
    summary: 'interactive view of pools and my sessions',
    options: UI_OPTIONS,
    run: (args, io) => runUi(args, io, environment),
  };
}

export const uiCommand: Command = uiCommandWith(processEnvironment);

async function runUi(args: CommandArgs, io: CliIo, environment: UiEnvironment): Promise<number> {
  const loaded = loadConfigForCli(args, io);
  if (!loaded.ok) return 1;
  let settings: ClientSettings;
  try {
    settings = clientSettings(args, loaded.config.client);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`Error: ${e.message}\n`);
    return e.exitCode;
  }
  const api = environment.makeApi(settings);
  if (environment.interactive()) {
    await environment.start(api);
    return 0;
  }
  const snapshot = await plainSnapshot(api, environment.now());
  io.stdout(snapshot.text);
  for (const error of snapshot.errors) io.stderr(`${error}\n`);
  return snapshot.errors.length > 0 ? 1 : 0;
}
