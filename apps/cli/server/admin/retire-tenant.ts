import { ReactivateTenantCommand, RetireTenantCommand } from '@app/application';
import { positionalArguments } from '../positional-arguments';
import type { ServerCommand } from '../server-io';
import { ADMIN_ACTOR } from './admin-context';
import { pyBool } from './python-repr';
import { runAdmin } from './run-admin';

/** `duffy admin retire-tenant NAME [--unretire]`: retiring also expires its sessions now. */
export const retireTenant: ServerCommand = (args, io) => {
  const { NAME } = positionalArguments(args.words, ['NAME']);
  const unretire = args.options.unretire === true && args.options.retire !== true;
  return runAdmin(args, io, NAME, async ({ bus }) => {
    const tenant = unretire
      ? await bus.execute(new ReactivateTenantCommand(NAME, ADMIN_ACTOR))
      : await bus.execute(new RetireTenantCommand(NAME, ADMIN_ACTOR));
    return `OK: ${NAME}: active=${pyBool(tenant.retiredAt === null)}\n`;
  });
};
