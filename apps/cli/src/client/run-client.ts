import { UsageError } from '../argv.js';
import type { Command, CommandArgs } from '../command.js';
import type { CliIo } from '../io.js';
import { loadConfigForCli } from '../commands/load-for-cli.js';
import { ApiError, callApi, UnreachableError } from './api-client.js';
import { CLIENT_OPTIONS } from './client-options.js';
import { formatResult } from './format/index.js';
import { UnflattenableResult } from './format/flat.js';
import type { SettledRequest } from './follow-queued-session.js';
import { clientSettings, type ClientSettings } from './settings.js';
import type { OptionSpec } from '../argv.js';
import type { NodeSpec } from './node-specs.js';
import { observeRequestedPools, withRequestProgress } from './request-progress.js';

/** What one client subcommand sends. */
export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  /** 201 for creations, 200 otherwise (compat §7); a queued session request also 202. */
  expected: number | readonly number[];
  body?: unknown;
}

export interface ClientCommandSpec {
  name: string;
  summary: string;
  usage?: string;
  /** Positional arguments it needs, exactly (Infinity: one or more). */
  arguments: number;
  options?: OptionSpec[];
  /** Builds the request from the arguments; throws UsageError on bad input. */
  request(rest: string[], options: CommandArgs['options']): ApiRequest;
  /** The nodes a session request asks for, to show its progress on a terminal's stderr. */
  progressSpecs?(rest: string[]): NodeSpec[];
  /** Follows an answer that is not the end yet (a queued session) to what is printed. */
  settle?(
    answer: Record<string, unknown>,
    settings: ClientSettings,
    io: CliIo,
  ): Promise<SettledRequest>;
}

const HINTS: Record<number, string> = {
  401: ' (check --auth-name and --auth-key, or client.auth in the configuration)',
  403: ' (this tenant may not do that, or it is retired)',
};

/**
 * A `duffy client …` command: the API result through the chosen formatter, as the original
 * prints it. Unlike the original (W-L3), an API error — printed as `{"error": {"detail": …}}` —
 * also goes to stderr and exits 1.
 */
export function clientCommand(spec: ClientCommandSpec): Command {
  return {
    words: ['client', spec.name],
    summary: spec.summary,
    usage: spec.usage,
    maxArguments: spec.arguments,
    options: [...CLIENT_OPTIONS, ...(spec.options ?? [])],
    async run(args, io) {
      try {
        return await runClient(spec, args, io);
      } catch (e) {
        if (e instanceof UsageError) {
          io.stderr(`Error: ${e.message}\n`);
          return e.exitCode;
        }
        throw e;
      }
    },
  };
}

async function runClient(spec: ClientCommandSpec, args: CommandArgs, io: CliIo): Promise<number> {
  const needed = spec.arguments === Infinity ? 1 : spec.arguments;
  if (args.rest.length < needed) {
    throw new UsageError(`missing argument: ${spec.usage ?? ''}`.trimEnd());
  }
  const request = spec.request(args.rest, args.options);
  const loaded = loadConfigForCli(args, io);
  if (!loaded.ok) return 1;
  const settings = clientSettings(args, loaded.config.client);
  const print = (result: Record<string, unknown>): boolean => {
    try {
      io.stdout(formatResult(result, settings.format));
      return true;
    } catch (e) {
      if (!(e instanceof UnflattenableResult)) throw e;
      io.stderr(`Error: ${e.message}\n`);
      return false;
    }
  };
  try {
    const call = () =>
      callApi(settings, request.method, request.path, request.expected, request.body);
    const specs = spec.progressSpecs?.(args.rest);
    const answer = specs
      ? await withRequestProgress(io, specs, observeRequestedPools(settings, specs), call)
      : await call();
    const { result, exitCode } = spec.settle
      ? await spec.settle(answer, settings, io)
      : { result: answer, exitCode: 0 };
    if (result === undefined) return exitCode;
    return print(result) ? exitCode : 1;
  } catch (e) {
    if (e instanceof ApiError) {
      print({ error: { detail: e.detail } });
      io.stderr(`Error: ${e.detail}${HINTS[e.status] ?? ''}\n`);
      return 1;
    }
    if (e instanceof UnreachableError) {
      io.stderr(`Error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
