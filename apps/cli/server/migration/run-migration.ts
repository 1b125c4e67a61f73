import { PostgresTargets, postgresTargets } from '../infrastructure/postgres-targets';
import { loadServerConfig } from '../infrastructure/server-config';
import type { ServerArgv } from '../server-argv';
import type { ServerIo } from '../server-io';

/** Config, then the work on the two PostgreSQL targets; its text is printed. */
export async function runMigration(
  args: ServerArgv,
  io: ServerIo,
  work: (targets: PostgresTargets) => Promise<string>,
): Promise<number> {
  const config = loadServerConfig(args, io);
  if (!config) return 1;
  io.stdout(await work(postgresTargets(config)));
  return 0;
}
