import { UsageError } from '../argv.js';
import type { Command } from '../command.js';
import { parseNodeSpecs } from '../client/node-specs.js';
import { settleSessionRequest } from '../client/follow-queued-session.js';
import { clientCommand } from '../client/run-client.js';
import {
  CREATE_TENANT_OPTIONS,
  createTenantBody,
  UPDATE_TENANT_OPTIONS,
  updateTenantBody,
} from '../client/tenant-options.js';
import { WAIT_OPTION, waitField } from '../client/wait-option.js';
import { CLIENT_NODE_COMMANDS } from './client-nodes.js';
import { RETIRE_TENANT_OPTIONS } from './retire-tenant-options.js';

/** An id argument; the original's click `int` type refuses anything else the same way. */
function id(value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`'${value}' is not a valid integer`);
  return Number(value);
}

const GET = (path: string) => ({ method: 'GET' as const, path, expected: 200 });

/** `duffy client …`: the original's client subcommands (compat §7), plus tenant management. */
export const CLIENT_COMMANDS: Command[] = [
  clientCommand({
    name: 'list-pools',
    summary: 'list the pools',
    arguments: 0,
    request: () => GET('/pools'),
  }),
  clientCommand({
    name: 'show-pool',
    summary: 'show a pool with its node levels',
    usage: 'NAME',
    arguments: 1,
    request: ([name]) => GET(`/pools/${encodeURIComponent(name)}`),
  }),
  clientCommand({
    name: 'list-sessions',
    summary: 'list the active sessions',
    arguments: 0,
    request: () => GET('/sessions'),
  }),
  clientCommand({
    name: 'show-session',
    summary: 'show a session',
    usage: 'ID',
    arguments: 1,
    request: ([s]) => GET(`/sessions/${id(s)}`),
  }),
  clientCommand({
    name: 'request-session',
    summary: 'request a session',
    usage: 'pool=POOL,quantity=N...',
    arguments: Infinity,
    options: [WAIT_OPTION],
    request: (items, options) => {
      const wait = waitField(options);
      return {
        method: 'POST',
        path: '/sessions',
        // 202: not all nodes were ready and the request waits in line (--wait).
        expected: wait.wait === undefined ? 201 : [201, 202],
        body: { tenant_id: null, nodes_specs: parseNodeSpecs(items), ...wait },
      };
    },
    progressSpecs: parseNodeSpecs,
    settle: (answer, settings, io) => settleSessionRequest(settings, io, answer),
  }),
  clientCommand({
    name: 'retire-session',
    summary: 'retire a session',
    usage: 'ID',
    arguments: 1,
    request: ([s]) => ({
      method: 'PUT',
      path: `/sessions/${id(s)}`,
      expected: 200,
      body: { active: false, expires_at: null },
    }),
  }),
  clientCommand({
    name: 'list-tenants',
    summary: 'list the tenants (a non-admin: itself)',
    arguments: 0,
    request: () => GET('/tenants'),
  }),
  clientCommand({
    name: 'show-tenant',
    summary: 'show a tenant',
    usage: 'ID',
    arguments: 1,
    request: ([t]) => GET(`/tenants/${id(t)}`),
  }),
  clientCommand({
    name: 'create-tenant',
    summary: 'create a tenant (admins); prints its API key',
    usage: 'NAME SSH_KEY',
    arguments: 2,
    options: CREATE_TENANT_OPTIONS,
    request: ([name, sshKey], options) => ({
      method: 'POST',
      path: '/tenants',
      expected: 201,
      body: createTenantBody(name, sshKey, options),
    }),
  }),
  clientCommand({
    name: 'retire-tenant',
    summary: 'retire a tenant (admins); --unretire reactivates it',
    usage: 'ID',
    arguments: 1,
    options: RETIRE_TENANT_OPTIONS,
    request: ([t], options) => ({
      method: 'PUT',
      path: `/tenants/${id(t)}`,
      expected: 200,
      body: { active: options.unretire === true },
    }),
  }),
  clientCommand({
    name: 'update-tenant',
    summary: 'change a tenant’s key, API key, quota or lifetimes (admins)',
    usage: 'ID',
    arguments: 1,
    options: UPDATE_TENANT_OPTIONS,
    request: ([t], options) => ({
      method: 'PUT',
      path: `/tenants/${id(t)}`,
      expected: 200,
      body: updateTenantBody(options),
    }),
  }),
  ...CLIENT_NODE_COMMANDS,
];
