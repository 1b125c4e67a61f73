import { isDomainError } from '@app/domain';
import type { ServerArgv } from '../server-argv';
import type { ServerIo } from '../server-io';
import { loadServerConfig } from '../infrastructure/server-config';
import { AdminContext, openAdminContext } from './admin-context';

/**
 * Runs one admin command: config, then the event store, then the work, whose text is printed.
 * A refusal by the domain is printed as the original prints an API error (`ERROR: <subject>`,
 * `ERROR DETAIL: <detail>` on stderr, exit 1); an unknown tenant's detail is `Not Found`, the
 * API's 404. Other failures (config, connection) are left to the entry point.
 */
export async function runAdmin(
  args: ServerArgv,
  io: ServerIo,
  subject: string,
  work: (context: AdminContext) => Promise<string>,
): Promise<number> {
  const config = loadServerConfig(args, io);
  if (!config) return 1;
  const context = await openAdminContext(config);
  try {
    io.stdout(await work(context));
    return 0;
  } catch (error) {
    if (!isDomainError(error)) throw error;
    const detail = error.code === 'not_found' ? 'Not Found' : error.detail;
    io.stderr(`ERROR: ${subject}\nERROR DETAIL: ${detail}\n`);
    return 1;
  } finally {
    await context.close();
  }
}
