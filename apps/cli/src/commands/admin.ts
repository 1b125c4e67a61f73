import type { Command } from '../command.js';
import { CREATE_TENANT_OPTIONS, UPDATE_TENANT_OPTIONS } from '../client/tenant-options.js';
import { ADMIN_NODE_COMMANDS } from './admin-node.js';
import { serverCommand } from './serve-built-app.js';
import { RETIRE_TENANT_OPTIONS } from './retire-tenant-options.js';

/**
 * `duffy admin …`: tenant administration straight on the event store (the original's admin
 * group, compat §7). The work happens in the server entry, which loads the application's
 * command handlers; this side only declares the command line.
 */

export const adminListTenants = serverCommand({
  words: ['admin', 'list-tenants'],
  summary: 'list the tenants, sorted by name (from the event store)',
  options: [
    { name: 'quiet', summary: 'print only the names' },
    { name: 'no-quiet', summary: 'print `OK: <name>` lines (default)' },
    { name: 'all', summary: 'include retired tenants' },
    { name: 'active', summary: 'only active tenants (default)' },
  ],
});

export const adminShowTenant = serverCommand({
  words: ['admin', 'show-tenant'],
  summary: 'show a tenant by name',
  usage: 'NAME',
  maxArguments: 1,
});

export const adminCreateTenant = serverCommand({
  words: ['admin', 'create-tenant'],
  summary: 'create a tenant; prints its new API key',
  usage: 'NAME SSH_KEY',
  maxArguments: 2,
  options: CREATE_TENANT_OPTIONS,
});

export const adminRetireTenant = serverCommand({
  words: ['admin', 'retire-tenant'],
  summary: 'retire a tenant (its sessions expire now); --unretire reactivates it',
  usage: 'NAME',
  maxArguments: 1,
  options: RETIRE_TENANT_OPTIONS,
});

export const adminUpdateTenant = serverCommand({
  words: ['admin', 'update-tenant'],
  summary: 'change a tenant’s SSH key, API key, quota or lifetimes',
  usage: 'NAME',
  maxArguments: 1,
  options: UPDATE_TENANT_OPTIONS,
});

export const adminPurgeStale = serverCommand({
  words: ['admin', 'purge-stale'],
  summary: 'clean or retire nodes stuck provisioning, deprovisioning or failed',
  maxArguments: 0,
  options: [
    { name: 'older-than', value: 'DELTA', summary: 'stuck longer than this (default 2h)' },
    { name: 'dry-run', summary: 'only list what would be purged' },
  ],
});

export const ADMIN_COMMANDS: Command[] = [
  adminListTenants,
  adminShowTenant,
  adminCreateTenant,
  adminRetireTenant,
  adminUpdateTenant,
  adminPurgeStale,
  ...ADMIN_NODE_COMMANDS,
];
