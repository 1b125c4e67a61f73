import { UsageError, type OptionSpec } from '../argv.js';
import type { CommandArgs } from '../command.js';
import { InvalidDeltaError, parseConfigDelta } from '../../../../libs/config/src/delta.js';

/** `request-session --wait`: not in the original, whose requests never wait in line. */
export const WAIT_OPTION: OptionSpec = {
  name: 'wait',
  value: 'DELTA',
  summary: 'wait in line up to DELTA (10m, 1h, 600) when the nodes are not ready',
};

/**
 * The body's `wait` field: the delta as given (the API parses it the same way), plain seconds
 * as a number; none without the option. Checked here so a typo fails before any request.
 */
export function waitField(options: CommandArgs['options']): { wait?: string | number } {
  const value = options.wait;
  if (value === undefined) return {};
  if (value === true) throw new UsageError('--wait needs a time delta such as 10m');
  try {
    parseConfigDelta(value);
  } catch (e) {
    if (!(e instanceof InvalidDeltaError)) throw e;
    throw new UsageError(
      `--wait: invalid time delta '${value}' (e.g. 10m, 1h30m, 90s, or seconds)`,
    );
  }
  const text = value.trim();
  return { wait: /^\d+$/.test(text) ? Number(text) : text };
}
