import { UsageError } from '../argv.js';
import type { Command } from '../command.js';
import { clientCommand } from '../client/run-client.js';
import { clientAddNodes } from './client-add-nodes.js';

/** A node id argument, refused like the other client ids. */
function nodeId(value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`'${value}' is not a valid integer`);
  return Number(value);
}

const REASON = { name: 'reason', value: 'TEXT', summary: "kept in the node's history" };

/** `POST /nodes/{id}/{action}` with an optional `--reason`. */
function nodeAction(action: string, summary: string, withReason: boolean): Command {
  return clientCommand({
    name: `${action}-node`,
    summary,
    usage: 'ID',
    arguments: 1,
    options: withReason ? [REASON] : [],
    request: ([n], options) => ({
      method: 'POST',
      path: `/nodes/${nodeId(n)}/${action}`,
      expected: 200,
      body: typeof options.reason === 'string' ? { reason: options.reason } : {},
    }),
  });
}

/** `duffy client …` node administration (issue 17; admins for all but list/show). */
export const CLIENT_NODE_COMMANDS: Command[] = [
  clientAddNodes,
  clientCommand({
    name: 'list-nodes',
    summary: 'list the active nodes; filters combine',
    arguments: 0,
    options: [
      { name: 'pool', value: 'POOL', summary: 'only this pool' },
      { name: 'state', value: 'STATE', summary: 'only this state (ready, failed, …)' },
      { name: 'hostname', value: 'GLOB', summary: 'hostname pattern: * any characters, ? one' },
      { name: 'maintenance', summary: 'only nodes in maintenance' },
    ],
    request: (_, options) => {
      const query = new URLSearchParams();
      for (const key of ['pool', 'state', 'hostname']) {
        const value = options[key];
        if (typeof value === 'string') query.set(key, value);
      }
      if (options.maintenance === true) query.set('maintenance', 'true');
      const q = query.toString();
      return { method: 'GET', path: q ? `/nodes?${q}` : '/nodes', expected: 200 };
    },
  }),
  clientCommand({
    name: 'show-node',
    summary: 'show a node',
    usage: 'ID',
    arguments: 1,
    request: ([n]) => ({ method: 'GET', path: `/nodes/${nodeId(n)}`, expected: 200 }),
  }),
  nodeAction('fail', 'mark a node failed (admins)', true),
  nodeAction('maintain', 'take a node out of service, keeping it (admins)', true),
  nodeAction('release', 'give a node in maintenance back to service (admins)', true),
  nodeAction('retire', 'decommission a node (admins)', true),
  nodeAction(
    'reprovision',
    'tear a ready or failed node down; the fill replaces it (admins)',
    true,
  ),
  clientCommand({
    name: 'comment-node',
    summary: "keep a comment in a node's history (admins)",
    usage: 'ID TEXT',
    arguments: 2,
    request: ([n, comment]) => ({
      method: 'POST',
      path: `/nodes/${nodeId(n)}/comment`,
      expected: 200,
      body: { comment },
    }),
  }),
  clientCommand({
    name: 'purge-stale',
    summary: 'clean or retire nodes stuck provisioning, deprovisioning or failed (admins)',
    arguments: 0,
    options: [
      { name: 'older-than', value: 'DELTA', summary: 'stuck longer than this (default 2h)' },
      { name: 'dry-run', summary: 'only list what would be purged' },
    ],
    request: (_, options) => ({
      method: 'POST',
      path: '/nodes/purge-stale',
      expected: 200,
      body: {
        ...(typeof options['older-than'] === 'string' ? { older_than: options['older-than'] } : {}),
        dry_run: options['dry-run'] === true,
      },
    }),
  }),
];
