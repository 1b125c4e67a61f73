/** The configured concrete pools, without the handlers knowing about config. */
export interface PoolCatalog {
  has(pool: string): boolean;
  names(): string[];
}

export class StaticPoolCatalog implements PoolCatalog {
  private readonly pools: Set<string>;

  constructor(pools: Iterable<string>) {
    this.pools = new Set(pools);
  }

  has(pool: string): boolean {
    return this.pools.has(pool);
  }

  names(): string[] {
    return [...this.pools];
  }
}
