import { positionalArguments } from '../positional-arguments';
import type { ServerCommand } from '../server-io';
import { readTenant } from './read-tenants';
import { runAdmin } from './run-admin';
import { showTenantLine } from './tenant-lines';

/** `duffy admin show-tenant NAME`: the tenant as its stream tells it. */
export const showTenant: ServerCommand = (args, io) => {
  const { NAME } = positionalArguments(args.words, ['NAME']);
  return runAdmin(args, io, NAME, async ({ store, defaults }) =>
    showTenantLine(NAME, await readTenant(store, NAME), defaults),
  );
};
