import { CreateTenantCommand } from '@app/application';
import { positionalArguments } from '../positional-arguments';
import type { ServerCommand } from '../server-io';
import { ADMIN_ACTOR } from './admin-context';
import { parseLimitOptions } from './limit-options';
import { runAdmin } from './run-admin';

/**
 * `duffy admin create-tenant NAME SSH_KEY [--is-admin] [--is-auditor] [limits]`: prints the new
 * API key.
 */
export const createTenant: ServerCommand = (args, io) => {
  const { NAME, SSH_KEY } = positionalArguments(args.words, ['NAME', 'SSH_KEY']);
  const limits = parseLimitOptions(args.options);
  const isAdmin = args.options['is-admin'] === true && args.options['no-is-admin'] !== true;
  const isAuditor = args.options['is-auditor'] === true;
  return runAdmin(args, io, NAME, async ({ bus }) => {
    const { apiKey } = await bus.execute(
      new CreateTenantCommand(NAME, SSH_KEY, { ...limits, isAdmin, isAuditor, actor: ADMIN_ACTOR }),
    );
    return `OK: ${NAME}: ${apiKey}\n`;
  });
};
