import type { VerifyResult } from '@app/read-models';

/** Differences printed before the rest are only counted: one broken table can differ a lot. */
const SHOWN = 20;

/** The read-model part of `audit verify`'s report, worded as `projector verify` words it. */
export function readModelLines(result: VerifyResult): string {
  const { position, differences } = result;
  if (differences.length === 0) {
    return `read models: clean (match a replay of the log up to position ${position})\n`;
  }
  const lines = differences
    .slice(0, SHOWN)
    .map(
      (d) =>
        `read models: only in ${d.onlyIn === 'live' ? 'live tables' : 'replay'}: ${d.table} ${JSON.stringify(d.row)}\n`,
    );
  const more = differences.length - SHOWN;
  if (more > 0) lines.push(`read models: … and ${more} more\n`);
  lines.push(`read models: ${differences.length} differing rows at position ${position}\n`);
  return lines.join('');
}
