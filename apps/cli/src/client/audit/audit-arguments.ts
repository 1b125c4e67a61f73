import { UsageError } from '../../argv.js';
import type { CommandArgs } from '../../command.js';

type Options = CommandArgs['options'];

// RFC 3339 date-time: seconds required, fraction optional, Z or a numeric offset.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** A value option's text, or undefined; a flag given where a value belongs cannot happen (argv). */
export function optionText(options: Options, name: string): string | undefined {
  const v = options[name];
  return typeof v === 'string' ? v : undefined;
}

/** `--NAME T` as given, after checking it is an RFC 3339 time the API will read. */
export function timeOption(options: Options, name: string): string | undefined {
  const value = optionText(options, name);
  if (value === undefined) return undefined;
  if (!RFC3339.test(value) || Number.isNaN(Date.parse(value))) {
    throw new UsageError(
      `--${name}: '${value}' is not an RFC 3339 time (e.g. 2026-12-01T14:00:00Z)`,
    );
  }
  return value;
}

/** `--NAME N`: a whole number, at least `min`. */
export function countOption(options: Options, name: string, min: number): number | undefined {
  const value = optionText(options, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw new UsageError(`--${name}: '${value}' is not a whole number of at least ${min}`);
  }
  return Number(value);
}

/** A session id argument, refused the way `duffy client show-session` refuses it. */
export function sessionId(value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`'${value}' is not a valid integer`);
  return Number(value);
}

/** `--from`/`--to` as a pair that makes sense: `--from` before `--to` when both are given. */
export function timeRange(options: Options): { from?: string; to?: string } {
  const from = timeOption(options, 'from');
  const to = timeOption(options, 'to');
  if (from !== undefined && to !== undefined && Date.parse(from) > Date.parse(to)) {
    throw new UsageError(`--from ${from} is after --to ${to}`);
  }
  return { from, to };
}

/** `?a=1&b=x` of the defined values, in the given order; '' when there are none. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const pairs = Object.entries(params).filter(
    (entry): entry is [string, string | number] => entry[1] !== undefined,
  );
  if (pairs.length === 0) return '';
  return `?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&')}`;
}
