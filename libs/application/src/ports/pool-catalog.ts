import { poolWantsTenantKey } from '@app/config';

/** The configured concrete pools, without the handlers knowing about config. */
export interface PoolCatalog {
  has(pool: string): boolean;
  names(): string[];
  /** False for pools configured with `contextualize: false`: their nodes are deployed at once. */
  needsContextualization(pool: string): boolean;
}

export class StaticPoolCatalog implements PoolCatalog {
  private readonly pools: Set<string>;
  private readonly plain: Set<string>;

  constructor(
    pools: Iterable<string>,
    /** The pools whose nodes need no tenant key (`contextualize: false`). */
    uncontextualized: Iterable<string> = [],
  ) {
    this.pools = new Set(pools);
    this.plain = new Set(uncontextualized);
  }

  /** The configured concrete pools; `contextualize: false` in a pool's settings marks it. */
  static of(
    pools: ReadonlyArray<{ name: string; dict: Record<string, unknown> }>,
  ): StaticPoolCatalog {
    return new StaticPoolCatalog(
      pools.map((p) => p.name),
      pools.filter((p) => !poolWantsTenantKey(p)).map((p) => p.name),
    );
  }

  has(pool: string): boolean {
    return this.pools.has(pool);
  }

  names(): string[] {
    return [...this.pools];
  }

  needsContextualization(pool: string): boolean {
    return !this.plain.has(pool);
  }
}
