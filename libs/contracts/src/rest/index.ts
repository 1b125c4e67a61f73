export type * from './bodies';
export * from './node.dto';
export * from './pool-summary.dto';
export * from './purge-stale.dto';
export * from './run.dto';
export * from './session.dto';
export * from './tenant.dto';
export * from './history.dto';
