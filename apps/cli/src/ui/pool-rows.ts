import type { PoolStatus } from './duffy-api.js';
import { levelBar } from './level-bar.js';
import { column } from './text-fit.js';

// Column widths: 2 + 28 + 1 + 10 + 1 + 12 + 4 counts of 5/5/5/6 with gaps = 79 columns.
const NAME = 28;

export const POOL_HEADER = `  ${column('POOL', NAME)} ${column('READY/FILL', 10)} ${column('LEVEL', 12)} ${'PROV'.padStart(5)} ${'CTX'.padStart(5)} ${'DEPL'.padStart(5)} ${'DEPROV'.padStart(6)}`;

/** `ready/fill`, `?` for what the API did not say. */
export function readyOfFill(pool: PoolStatus): string {
  return `${pool.levels?.ready ?? '?'}/${pool.fillLevel ?? '?'}`;
}

/** One line of the pools table (79 columns), `>` marking the selected pool. */
export function poolRow(pool: PoolStatus, selected: boolean): string {
  const l = pool.levels;
  const count = (n: number | undefined, width: number) => String(n ?? '?').padStart(width);
  return [
    `${selected ? '>' : ' '} ${column(pool.name, NAME)}`,
    column(readyOfFill(pool), 10),
    column(levelBar(l?.ready ?? 0, pool.fillLevel), 12),
    count(l?.provisioning, 5),
    count(l?.contextualizing, 5),
    count(l?.deployed, 5),
    count(l?.deprovisioning, 6),
  ].join(' ');
}
