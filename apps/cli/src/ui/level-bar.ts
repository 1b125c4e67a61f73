/**
 * `[####------]`: ready nodes against the pool's fill level, `width` cells inside the
 * brackets. More ready nodes than the fill level still draw a full bar; a pool without a fill
 * level draws an empty one.
 */
export function levelBar(ready: number, fillLevel: number | null, width = 10): string {
  const filled =
    fillLevel && fillLevel > 0 ? Math.min(width, Math.round((ready / fillLevel) * width)) : 0;
  return `[${'#'.repeat(Math.max(filled, 0))}${'-'.repeat(width - Math.max(filled, 0))}]`;
}
