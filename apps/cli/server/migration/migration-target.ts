/** A VERSION names no migration this code knows; exit 1 like alembic's unknown revision. */
export class UnknownMigrationError extends Error {
  constructor(version: string, known: string[]) {
    super(
      `no read-model migration matches '${version}' (known: ${known.join(', ') || 'none'}; ` +
        `also head, base, +N, -N)`,
    );
    this.name = 'UnknownMigrationError';
  }
}

/**
 * How many of the known read-model migrations should be applied after going to VERSION:
 * `head`, `base`, `+N`/`-N` relative to the `applied` count, or a migration's name or its
 * timestamp (`ProvisioningRuns1764100000000`, `1764100000000`), which stays applied.
 */
export function migrationTarget(version: string, known: string[], applied: number): number {
  const v = version.trim();
  if (v === 'head') return known.length;
  if (v === 'base') return 0;
  if (/^[+-]\d+$/.test(v)) return Math.min(known.length, Math.max(0, applied + Number(v)));
  const index = known.findIndex((name) => name === v || (/^\d+$/.test(v) && name.endsWith(v)));
  if (index === -1) throw new UnknownMigrationError(version, known);
  return index + 1;
}

/** Does VERSION point at the event store's schema (which is never downgraded)? */
export function namesEventStore(version: string): boolean {
  return /^event[-_ ]?store\b/i.test(version.trim());
}
