import { UsageError } from '../argv.js';
import type { Command } from '../command.js';
import type {
  EventPageAnswer,
  HistoryAnswer,
  NodeHoldingListAnswer,
} from '../../../../libs/contracts/src/rest/bodies.js';
import { callApi } from '../client/api-client.js';
import { queryString, sessionId, timeOption, timeRange } from '../client/audit/audit-arguments.js';
import { auditCommand, type AuditRun } from '../client/audit/audit-command.js';
import { interruptSignal, writeStdout } from '../client/audit/audit-io.js';
import {
  eventPageOutput,
  followPrinter,
  historyOutput,
  holdersOutput,
} from '../client/audit/audit-print.js';
import { EVENT_FILTER_OPTIONS, eventQuery } from '../client/audit/event-filters.js';
import { followEvents } from '../client/audit/follow-events.js';
import { exportNdjson } from '../client/audit/ndjson-export.js';
import { progressColumns } from '../client/request-progress.js';
import { serverCommand } from './serve-built-app.js';

const path = (...parts: string[]) => parts.map(encodeURIComponent).join('/');
const get = <T>(run: AuditRun, url: string) =>
  callApi(run.settings, 'GET', url, 200) as Promise<unknown> as Promise<T>;

/** A history answer, printed in the run's format. */
function showHistory(url: string) {
  return async (run: AuditRun) => {
    const answer = await get<HistoryAnswer>(run, url);
    await writeStdout(run.io, historyOutput(answer, run.format, run.columns));
    return 0;
  };
}

const RANGE_OPTIONS = [
  { name: 'from', value: 'T', summary: 'from this time on (RFC 3339)' },
  { name: 'to', value: 'T', summary: 'up to this time (RFC 3339)' },
];

export const auditSession = auditCommand({
  name: 'session',
  summary: "a session's timeline: its events with its nodes', allotments' and runs'",
  usage: 'ID',
  arguments: 1,
  prepare: ([id]) => showHistory(`/sessions/${sessionId(id)}/timeline`),
});

export const auditNode = auditCommand({
  name: 'node',
  summary: "a node's history, optionally within --from/--to",
  usage: 'ID|HOSTNAME',
  arguments: 1,
  options: RANGE_OPTIONS,
  prepare: ([node], options) =>
    showHistory(`/nodes/${path(node)}/history${queryString(timeRange(options))}`),
});

export const auditTenant = auditCommand({
  name: 'tenant',
  summary: "a tenant's history",
  usage: 'NAME',
  arguments: 1,
  prepare: ([name]) => showHistory(`/tenants/${path(name)}/history`),
});

export const auditPool = auditCommand({
  name: 'pool',
  summary: "a pool's history",
  usage: 'NAME',
  arguments: 1,
  prepare: ([name]) => showHistory(`/pools/${path(name)}/history`),
});

export const auditEvents = auditCommand({
  name: 'events',
  summary: 'the event log, filtered (admins, auditors); --follow keeps reading new events',
  arguments: 0,
  options: [
    { name: 'from', value: 'T', summary: 'only events recorded at or after T (RFC 3339)' },
    ...EVENT_FILTER_OPTIONS,
    { name: 'follow', summary: 'page on, then poll every second for new events (Ctrl-C ends)' },
  ],
  prepare: (_rest, options) => {
    const query = eventQuery(options, timeOption(options, 'from'));
    if (options.follow !== true) {
      return async (run) => {
        const answer = await get<EventPageAnswer>(run, `/events${queryString(query)}`);
        await writeStdout(run.io, eventPageOutput(answer, run.format, run.columns));
        if (run.columns !== undefined && answer.events.length > 0) {
          run.io.stderr(
            `(${answer.events.length} events; more with --after ${answer.next_after})\n`,
          );
        }
        return 0;
      };
    }
    return async (run) => {
      const print = followPrinter(run.format, run.columns);
      const { signal, release } = interruptSignal(run.io);
      try {
        await followEvents(
          (after) => get<EventPageAnswer>(run, `/events${queryString({ ...query, after })}`),
          (events) => writeStdout(run.io, print(events)),
          { after: query.after as number | undefined, pollMs: run.io.pollMs ?? 1_000, signal },
        );
      } finally {
        release();
      }
      return 0;
    };
  },
});

export const auditWhoHad = auditCommand({
  name: 'who-had',
  summary: 'which sessions (tenant, ssh key) held a node at a time or within a range',
  usage: 'HOSTNAME',
  arguments: 1,
  options: [{ name: 'at', value: 'T', summary: 'at this time (RFC 3339)' }, ...RANGE_OPTIONS],
  prepare: ([host], options) => {
    const at = timeOption(options, 'at');
    const { from, to } = timeRange(options);
    if (at !== undefined && (from !== undefined || to !== undefined)) {
      throw new UsageError('--at and --from/--to exclude each other');
    }
    if (at === undefined && (from === undefined || to === undefined)) {
      throw new UsageError(
        from === undefined && to === undefined
          ? 'who-had needs --at T, or --from T --to T'
          : `missing ${from === undefined ? '--from' : '--to'} (a range needs both)`,
      );
    }
    const url = `/nodes/${path(host)}/holders${queryString(at !== undefined ? { at } : { from, to })}`;
    return async (run) => {
      const answer = await get<NodeHoldingListAnswer>(run, url);
      await writeStdout(run.io, holdersOutput(answer, run.format, run.columns));
      return 0;
    };
  },
});

export const auditExport = auditCommand({
  name: 'export',
  summary: 'the event log since T as JSON lines on stdout, streamed (admins, auditors)',
  arguments: 0,
  formats: false,
  options: [
    { name: 'since', value: 'T', summary: 'events recorded at or after T (RFC 3339); required' },
    ...EVENT_FILTER_OPTIONS,
  ],
  prepare: (_rest, options) => {
    const since = timeOption(options, 'since');
    if (since === undefined && options.after === undefined) {
      throw new UsageError('missing --since T (or --after POS)');
    }
    const url = `/events${queryString(eventQuery(options, since))}`;
    return async (run) => {
      const lines = await exportNdjson(run.settings, url, (text) => writeStdout(run.io, text));
      if (progressColumns(run.io) !== undefined) run.io.stderr(`exported ${lines} events\n`);
      return 0;
    };
  },
});

/** `duffy audit verify`: the server entry re-hashes the chains and compares the read models. */
export const auditVerify = serverCommand({
  words: ['audit', 'verify'],
  summary: 'check every hash chain and the read models against a replay; exit 1 on damage',
  options: [
    {
      name: 'anchors',
      value: 'FILE',
      summary: 'check the stream tails a clean run kept in FILE, then keep the new ones there',
    },
  ],
});

const SUBCOMMANDS: Command[] = [
  auditSession,
  auditNode,
  auditTenant,
  auditPool,
  auditEvents,
  auditWhoHad,
  auditExport,
  auditVerify,
];

/**
 * `duffy audit` alone, or with a word that is no audit command: the group's commands. It comes
 * after them, since the program takes the first command whose words match.
 */
export const auditGroup: Command = {
  words: ['audit'],
  summary: 'histories, the event log and its hash-chain verification',
  usage: 'COMMAND [ARGS]...',
  maxArguments: Infinity,
  async run(args, io) {
    const list = SUBCOMMANDS.map(
      (c) =>
        `  ${`${c.words.slice(1).join(' ')} ${c.usage ?? ''}`.trimEnd().padEnd(24)} ${c.summary}`,
    ).join('\n');
    const text = `Usage: duffy audit COMMAND [ARGS]...\n\nCommands:\n${list}\n\nEach command's options: duffy audit COMMAND --help\n`;
    if (args.rest.length > 0) {
      io.stderr(`Error: no such command: duffy audit ${args.rest.join(' ')}\n\n${text}`);
      return 2;
    }
    io.stdout(text);
    return 0;
  },
};

export const AUDIT_COMMANDS: Command[] = [...SUBCOMMANDS, auditGroup];
