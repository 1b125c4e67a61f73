import { domainDefaults as configDefaults, formatProblem, loadConfig } from '@app/config';
import type { DuffyConfig } from '@app/config';
import type { Defaults } from '@app/domain';
import type { ServerArgv } from '../server-argv';
import type { ServerIo } from '../server-io';

/** A setting the command needs is absent or unusable; reported as the original reports it. */
export class ConfigKeyError extends Error {
  constructor(readonly key: string) {
    super(`Configuration key missing or wrong: ${key}`);
    this.name = 'ConfigKeyError';
  }
}

/** Loads the `-c` files (or the default locations); prints problems and returns undefined. */
export function loadServerConfig(args: ServerArgv, io: ServerIo): DuffyConfig | undefined {
  const loaded = loadConfig({ paths: args.configPaths, env: io.env });
  for (const problem of loaded.problems) io.stderr(`${formatProblem(problem)}\n`);
  return loaded.problems.length === 0 ? loaded.config : undefined;
}

/** `defaults.*` as the domain takes them: effective quotas and lifetimes need them. */
export function domainDefaults(config: DuffyConfig): Defaults {
  const defaults = configDefaults(config);
  if (!defaults) throw new ConfigKeyError('defaults');
  return defaults;
}

/** The read models' PostgreSQL URL (`database.url`). */
export function readModelUrl(config: DuffyConfig): string {
  const url = config.database?.url;
  if (!url) throw new ConfigKeyError('database.url');
  return url;
}

/** The PostgreSQL event store's URL: `eventstore.url`, else the read models' database. */
export function postgresEventStoreUrl(config: DuffyConfig): string {
  const url = config.eventstore?.url ?? config.database?.url;
  if (!url) throw new ConfigKeyError('eventstore.url');
  return url;
}
