import { UsageError, type OptionSpec } from '../../argv.js';
import type { CommandArgs } from '../../command.js';
import { countOption, optionText, timeOption } from './audit-arguments.js';

type Options = CommandArgs['options'];

/** The `GET /events` filters a person can give, shared by `audit events` and `audit export`. */
export const EVENT_FILTER_OPTIONS: OptionSpec[] = [
  { name: 'stream', value: 'S', summary: 'only this stream (e.g. session-12)' },
  { name: 'stream-prefix', value: 'P', summary: 'only streams starting with P (e.g. node-)' },
  { name: 'type', value: 'T[,T]', summary: 'only these event types (e.g. SessionExtended)' },
  { name: 'tenant', value: 'NAME', summary: 'only events of this tenant' },
  { name: 'node', value: 'ID', summary: 'only events of this node' },
  { name: 'correlation-id', value: 'C', summary: 'only events with this correlation id' },
  { name: 'to', value: 'T', summary: 'only events recorded at or before T (RFC 3339)' },
  { name: 'after', value: 'POS', summary: 'start after this log position' },
  { name: 'limit', value: 'N', summary: 'at most N events (per page with --follow)' },
];

/** The query parameters of `GET /events`, in the contract's names; `from` is the caller's. */
export function eventQuery(
  options: Options,
  from: string | undefined,
): Record<string, string | number | undefined> {
  const types = optionText(options, 'type');
  if (types !== undefined && types.split(',').some((t) => t.trim() === '')) {
    throw new UsageError(`--type: '${types}' has an empty type (give T or T,T without spaces)`);
  }
  const to = timeOption(options, 'to');
  if (from !== undefined && to !== undefined && Date.parse(from) > Date.parse(to)) {
    throw new UsageError(`the start ${from} is after --to ${to}`);
  }
  return {
    after: countOption(options, 'after', 0),
    limit: countOption(options, 'limit', 1),
    stream: optionText(options, 'stream'),
    stream_prefix: optionText(options, 'stream-prefix'),
    type: types,
    tenant: optionText(options, 'tenant'),
    node: optionText(options, 'node'),
    correlation_id: optionText(options, 'correlation-id'),
    from,
    to,
  };
}
