import { UsageError, type OptionSpec } from '../argv.js';
import type { CommandArgs } from '../command.js';

type Options = CommandArgs['options'];

const QUOTA: OptionSpec = { name: 'node-quota', value: 'N|none', summary: 'node quota' };
const LIFETIME: OptionSpec = {
  name: 'session-lifetime',
  value: 'DELTA|none',
  summary: 'default session lifetime (5h, 3600)',
};
const LIFETIME_MAX: OptionSpec = {
  name: 'session-lifetime-max',
  value: 'DELTA|none',
  summary: 'maximum session lifetime',
};

/** `create-tenant`'s options, as the original's `admin create-tenant` has them. */
export const CREATE_TENANT_OPTIONS: OptionSpec[] = [
  { name: 'is-admin', summary: 'make the tenant an admin' },
  { name: 'no-is-admin', summary: 'a plain tenant (default)' },
  { name: 'is-auditor', summary: 'an auditor: reads every history, changes nothing' },
  QUOTA,
  LIFETIME,
  LIFETIME_MAX,
];

/** `update-tenant`'s options, as the original's `admin update-tenant` has them. */
export const UPDATE_TENANT_OPTIONS: OptionSpec[] = [
  { name: 'ssh-key', value: 'KEY', summary: 'new SSH public key' },
  { name: 'api-key', value: 'UUID|reset', summary: 'set the API key, or reset it to a new one' },
  { name: 'is-auditor', summary: 'make the tenant an auditor' },
  { name: 'no-is-auditor', summary: 'the tenant is no auditor any more' },
  QUOTA,
  LIFETIME,
  LIFETIME_MAX,
];

const NONE = ['none', 'null'];

/** The JSON fields the quota and lifetime options give, `none` meaning "the default". */
export function limitFields(options: Options): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const quota = options['node-quota'];
  if (typeof quota === 'string') {
    if (NONE.includes(quota.toLowerCase())) fields.node_quota = null;
    else if (/^[+-]?\d+$/.test(quota.trim())) fields.node_quota = Number(quota);
    else throw new UsageError(`'${quota}' is not a valid integer`);
  }
  for (const name of ['session-lifetime', 'session-lifetime-max']) {
    const v = options[name];
    if (typeof v !== 'string') continue;
    const key = name.replace(/-/g, '_');
    // The API parses deltas (`5h`, `1d 2h`); plain seconds go as a number, as in the config.
    fields[key] = NONE.includes(v.toLowerCase()) ? null : /^\d+$/.test(v) ? Number(v) : v;
  }
  return fields;
}

export function createTenantBody(name: string, sshKey: string, options: Options) {
  return {
    name,
    ssh_key: sshKey,
    is_admin: options['is-admin'] === true && options['no-is-admin'] !== true,
    // Not in the original: sent only when asked for, so its servers see the body they know.
    ...(options['is-auditor'] === true ? { is_auditor: true } : {}),
    ...limitFields(options),
  };
}

export function updateTenantBody(options: Options): Record<string, unknown> {
  const body: Record<string, unknown> = { ...limitFields(options) };
  if (typeof options['ssh-key'] === 'string') body.ssh_key = options['ssh-key'];
  if (typeof options['api-key'] === 'string') body.api_key = options['api-key'];
  if (options['is-auditor'] === true) body.is_auditor = true;
  if (options['no-is-auditor'] === true) body.is_auditor = false;
  if (Object.keys(body).length === 0) {
    throw new UsageError(
      // The original's words (it has no auditors); --is-auditor alone is enough too.
      'Either --ssh-key, --api-key, --node-quota, --session-lifetime or --session-lifetime-max must be set.',
    );
  }
  return body;
}
