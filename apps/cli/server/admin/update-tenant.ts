import { UpdateTenantCommand } from '@app/application';
import type { TenantChanges } from '@app/application';
import { positionalArguments } from '../positional-arguments';
import type { ServerCommand } from '../server-io';
import { invalidOptionValue } from '../usage-error';
import { ADMIN_ACTOR } from './admin-context';
import { parseLimitOptions, valueOf } from './limit-options';
import { pyStrRepr } from './python-repr';
import { runAdmin } from './run-admin';
import { updateTenantLine } from './tenant-lines';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const NOTHING_TO_DO =
  'ERROR: Either --ssh-key, --api-key, --node-quota, --session-lifetime or' +
  ' --session-lifetime-max must be set.\n';

/**
 * `duffy admin update-tenant NAME [--ssh-key K] [--api-key UUID|reset] [--[no-]is-auditor]
 * [limits]`.
 */
export const updateTenant: ServerCommand = (args, io) => {
  const { NAME } = positionalArguments(args.words, ['NAME']);
  const changes = tenantChanges(args.options);
  if (Object.keys(changes).length === 0) {
    io.stderr(NOTHING_TO_DO);
    return Promise.resolve(1);
  }
  return runAdmin(args, io, NAME, async ({ bus, defaults }) => {
    const { tenant, apiKey } = await bus.execute(
      new UpdateTenantCommand(NAME, changes, ADMIN_ACTOR),
    );
    // An explicit key is the caller's own; `reset` made a new one: both are shown once.
    return updateTenantLine(NAME, tenant, defaults, apiKey ?? changes.apiKey ?? null);
  });
};

/** The changes the options ask for; empty strings count as not given, as in the original. */
export function tenantChanges(options: Record<string, string | true>): TenantChanges {
  const changes: TenantChanges = { ...parseLimitOptions(options) };
  const sshKey = valueOf(options, 'ssh-key');
  if (sshKey) changes.sshKey = sshKey;
  const apiKey = valueOf(options, 'api-key');
  if (apiKey) {
    if (apiKey !== 'reset' && !UUID.test(apiKey)) {
      throw invalidOptionValue('api-key', `${pyStrRepr(apiKey)} is neither a UUID nor 'reset'`);
    }
    changes.apiKey = apiKey;
  }
  // Not in the original (it has no auditors).
  if (options['is-auditor'] === true) changes.isAuditor = true;
  if (options['no-is-auditor'] === true) changes.isAuditor = false;
  return changes;
}
