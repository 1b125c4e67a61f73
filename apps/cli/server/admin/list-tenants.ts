import type { ServerCommand } from '../server-io';
import { runAdmin } from './run-admin';
import { readTenants } from './read-tenants';

/** `duffy admin list-tenants [--quiet] [--all]`: one line per tenant, sorted by name. */
export const listTenants: ServerCommand = (args, io) => {
  const quiet = args.options.quiet === true && args.options['no-quiet'] !== true;
  const all = args.options.all === true && args.options.active !== true;
  return runAdmin(args, io, "couldn't list tenants", async ({ store }) => {
    const tenants = (await readTenants(store))
      .filter((t) => all || t.retiredAt === null)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return tenants.map((t) => `${quiet ? '' : 'OK: '}${t.name}\n`).join('');
  });
};
