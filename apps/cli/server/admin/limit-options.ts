import { InvalidDeltaError, parseConfigDelta } from '@app/config';
import { invalidOptionValue, ServerUsageError } from '../usage-error';
import { pyStrRepr } from './python-repr';

type Options = Record<string, string | true>;

const NONE = ['none', 'null'];

/** The quota and lifetime options as the handlers take them; null means "the default". */
export interface LimitOptions {
  nodeQuota?: number | null;
  sessionLifetimeMs?: number | null;
  sessionLifetimeMaxMs?: number | null;
}

/** `--node-quota N|none`, `--session-lifetime D|none`, `--session-lifetime-max D|none`. */
export function parseLimitOptions(options: Options): LimitOptions {
  const limits: LimitOptions = {};
  const quota = valueOf(options, 'node-quota');
  if (quota !== undefined) limits.nodeQuota = intOrNone('node-quota', quota);
  const lifetime = valueOf(options, 'session-lifetime');
  if (lifetime !== undefined)
    limits.sessionLifetimeMs = intervalOrNone('session-lifetime', lifetime);
  const max = valueOf(options, 'session-lifetime-max');
  if (max !== undefined) limits.sessionLifetimeMaxMs = intervalOrNone('session-lifetime-max', max);
  return limits;
}

/** click's INT_OR_NONE: Python int() syntax, or none/null. */
export function intOrNone(option: string, value: string): number | null {
  if (NONE.includes(value.toLowerCase())) return null;
  if (!/^\s*[+-]?\d+(_\d+)*\s*$/.test(value)) {
    throw invalidOptionValue(option, `${pyStrRepr(value)} is not a valid integer`);
  }
  return Number(value.trim().replace(/_/g, ''));
}

/** click's INTERVAL_OR_NONE: a config-flavour time delta (`5h`, `3600`), or none/null. */
export function intervalOrNone(option: string, value: string): number | null {
  if (NONE.includes(value.toLowerCase())) return null;
  try {
    return parseConfigDelta(value);
  } catch (error) {
    if (error instanceof InvalidDeltaError) {
      throw invalidOptionValue(option, 'invalid timedelta format');
    }
    throw error;
  }
}

/** A value option's text; a bare flag where a value belongs is the front end's bug. */
export function valueOf(options: Options, name: string): string | undefined {
  const value = options[name];
  if (value === true) throw new ServerUsageError(`option --${name} needs a value`);
  return value;
}
