import type { CliIo } from './io.js';
import type { OptionSpec, ParsedArgv } from './argv.js';

/** One `duffy` subcommand, found by its words (`['config', 'check']`). */
export interface Command {
  words: string[];
  summary: string;
  /** Extra positional arguments it takes, for the usage line. */
  usage?: string;
  /** How many positional arguments it accepts after its words (default none). */
  maxArguments?: number;
  /** Options of its own, beyond the global ones; any other option is refused. */
  options?: OptionSpec[];
  run(args: CommandArgs, io: CliIo): Promise<number>;
}

export interface CommandArgs extends ParsedArgv {
  /** Positional words after the command's own words. */
  rest: string[];
}
