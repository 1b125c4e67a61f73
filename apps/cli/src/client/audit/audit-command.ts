import { UsageError, type OptionSpec } from '../../argv.js';
import type { Command, CommandArgs } from '../../command.js';
import { loadConfigForCli } from '../../commands/load-for-cli.js';
import { ApiError, UnreachableError } from '../api-client.js';
import { CLIENT_OPTIONS } from '../client-options.js';
import { formatResult } from '../format/index.js';
import { clientSettings, type ClientSettings } from '../settings.js';
import { AUDIT_FORMATS, auditFormat, type AuditFormat } from './audit-format.js';
import { stdoutColumns, type AuditIo } from './audit-io.js';

/** What a prepared audit command runs with. */
export interface AuditRun {
  settings: ClientSettings;
  format: AuditFormat;
  /** The terminal's width; undefined in a pipe. */
  columns?: number;
  io: AuditIo;
}

export interface AuditCommandSpec {
  name: string;
  summary: string;
  usage?: string;
  /** Positional arguments it needs, exactly. */
  arguments: number;
  options?: OptionSpec[];
  /** Whether it takes --format (export prints JSON lines only). */
  formats?: boolean;
  /** Checks the arguments, naming the bad one (UsageError), and returns the work to do. */
  prepare(rest: string[], options: CommandArgs['options']): (run: AuditRun) => Promise<number>;
}

const FORMAT_OPTION: OptionSpec = {
  name: 'format',
  value: 'FORMAT',
  summary: `${AUDIT_FORMATS.join(', ')} (default: text on a terminal, else json)`,
};
/** The client's --url and credentials, read from the same places as `duffy client`. */
const CONNECTION_OPTIONS = CLIENT_OPTIONS.filter((o) => o.name !== 'format');

const HINTS: Record<number, string> = {
  401: ' (check --auth-name and --auth-key, or client.auth in the configuration)',
  403: ' (only admins and auditors read every history; a tenant reads its own)',
};

/**
 * A `duffy audit …` command over the REST API. Errors go to stderr with the problem's detail and
 * exit 1 (2 for bad arguments); in json, yaml or flat they also print as `duffy client` prints
 * them (`{"error": {"detail": …}}`), so a script reading stdout sees them too.
 */
export function auditCommand(spec: AuditCommandSpec): Command {
  return {
    words: ['audit', spec.name],
    summary: spec.summary,
    usage: spec.usage,
    maxArguments: spec.arguments,
    options: [
      ...CONNECTION_OPTIONS,
      ...(spec.formats === false ? [] : [FORMAT_OPTION]),
      ...(spec.options ?? []),
    ],
    async run(args, io: AuditIo) {
      let format: AuditFormat = 'text';
      try {
        if (args.rest.length < spec.arguments) {
          throw new UsageError(`missing argument: ${spec.usage ?? ''}`.trimEnd());
        }
        format = spec.formats === false ? 'text' : auditFormat(args.options, io);
        const work = spec.prepare(args.rest, args.options);
        const loaded = loadConfigForCli(args, io);
        if (!loaded.ok) return 1;
        // The client's settings refuse formats they do not know; the format is settled here.
        const settings = clientSettings(
          { ...args, options: { ...args.options, format: 'json' } },
          loaded.config.client,
        );
        return await work({ settings, format, columns: stdoutColumns(io), io });
      } catch (e) {
        if (e instanceof UsageError) {
          io.stderr(`Error: ${e.message}\nTry 'duffy audit ${spec.name} --help'.\n`);
          return e.exitCode;
        }
        if (e instanceof ApiError) {
          if (format !== 'text') io.stdout(formatResult({ error: { detail: e.detail } }, format));
          io.stderr(`Error: ${e.detail}${HINTS[e.status] ?? ''}\n`);
          return 1;
        }
        if (e instanceof UnreachableError) {
          io.stderr(`Error: ${e.message}\n`);
          return 1;
        }
        throw e;
      }
    },
  };
}
