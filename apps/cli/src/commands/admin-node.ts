import type { Command } from '../command.js';
import { serverCommand } from './serve-built-app.js';

/**
 * `duffy admin node …`: node administration straight on the event store, as the tenant admin
 * commands (actor `admin-cli`); the server entry does the work.
 */

const REASON = { name: 'reason', value: 'TEXT', summary: "kept in the node's history" };

function nodeAction(action: string, summary: string): Command {
  return serverCommand({
    words: ['admin', 'node', action],
    summary,
    usage: 'ID',
    maxArguments: 1,
    options: [REASON],
  });
}

export const ADMIN_NODE_COMMANDS: Command[] = [
  serverCommand({
    words: ['admin', 'node', 'list'],
    summary: 'list the active nodes (from the event store); filters combine',
    maxArguments: 0,
    options: [
      { name: 'pool', value: 'POOL', summary: 'only this pool' },
      { name: 'state', value: 'STATE', summary: 'only this state (ready, failed, …)' },
      { name: 'all', summary: 'include retired nodes' },
    ],
  }),
  serverCommand({
    words: ['admin', 'node', 'show'],
    summary: 'show a node, with its maintenance reason and comment',
    usage: 'ID',
    maxArguments: 1,
  }),
  serverCommand({
    words: ['admin', 'node', 'add'],
    summary: 'register the nodes of a YAML or CSV inventory (all rows checked first)',
    usage: 'FILE',
    maxArguments: 1,
  }),
  nodeAction('fail', 'mark a node failed'),
  nodeAction('maintain', 'take a node out of service, keeping it'),
  nodeAction('release', 'give a node in maintenance back to service'),
  nodeAction('retire', 'decommission a node'),
  nodeAction('reprovision', 'tear a ready or failed node down; the fill replaces it'),
  serverCommand({
    words: ['admin', 'node', 'comment'],
    summary: "keep a comment in a node's history",
    usage: 'ID TEXT',
    maxArguments: 2,
  }),
];
