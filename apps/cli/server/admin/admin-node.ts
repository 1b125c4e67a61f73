import { readFileSync } from 'node:fs';
import { AdministerNodeCommand, NodeAdminAction, RegisterNodeCommand } from '@app/application';
import { isDomainError } from '@app/domain';
import {
  InventoryError,
  InventoryNode,
  parseNodeInventory,
} from '../../../../libs/config/src/inventory/parse-node-inventory';
import { loadServerConfig } from '../infrastructure/server-config';
import { positionalArguments } from '../positional-arguments';
import type { ServerCommand } from '../server-io';
import { ServerUsageError } from '../usage-error';
import { ADMIN_ACTOR, openAdminContext } from './admin-context';
import { nodeDetailLine, nodeLine } from './node-lines';
import { readNode, readNodes } from './read-nodes';
import { runAdmin } from './run-admin';

/** A node id argument; anything but a positive integer is a usage error (exit 2). */
function nodeIdArgument(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new ServerUsageError(`'${value}' is not a valid node id`);
  return Number(value);
}

/** `duffy admin node list [--pool P] [--state S] [--all]`: the nodes as the log tells them. */
export const listNodes: ServerCommand = (args, io) => {
  const { pool, state } = args.options;
  const all = args.options.all === true;
  return runAdmin(args, io, 'node list', async ({ store }) =>
    (await readNodes(store))
      .filter((n) => all || !n.retired)
      .filter((n) => typeof pool !== 'string' || (n.pool ?? '') === pool)
      .filter((n) => typeof state !== 'string' || n.status === state)
      .map(nodeLine)
      .join(''),
  );
};

/** `duffy admin node show ID`. */
export const showNode: ServerCommand = (args, io) => {
  const { ID } = positionalArguments(args.words, ['ID']);
  const nodeId = nodeIdArgument(ID);
  return runAdmin(args, io, `node ${nodeId}`, async ({ store }) =>
    nodeDetailLine(await readNode(store, nodeId)),
  );
};

/** `duffy admin node fail|maintain|release|retire|reprovision ID [--reason R]`. */
function nodeAction(action: Exclude<NodeAdminAction, 'comment'>): ServerCommand {
  return (args, io) => {
    const { ID } = positionalArguments(args.words, ['ID']);
    const nodeId = nodeIdArgument(ID);
    const reason = typeof args.options.reason === 'string' ? args.options.reason : '';
    return runAdmin(args, io, `node ${nodeId}`, async ({ bus }) => {
      const { state } = await bus.execute(
        new AdministerNodeCommand(nodeId, action, reason, ADMIN_ACTOR),
      );
      return nodeLine(state);
    });
  };
}

export const failNode = nodeAction('fail');
export const maintainNode = nodeAction('maintain');
export const releaseNode = nodeAction('release');
export const retireNode = nodeAction('retire');
export const reprovisionNode = nodeAction('reprovision');

/** `duffy admin node comment ID TEXT`. */
export const commentNode: ServerCommand = (args, io) => {
  const { ID, TEXT } = positionalArguments(args.words, ['ID', 'TEXT']);
  const nodeId = nodeIdArgument(ID);
  return runAdmin(args, io, `node ${nodeId}`, async ({ bus }) => {
    const { state } = await bus.execute(
      new AdministerNodeCommand(nodeId, 'comment', TEXT, ADMIN_ACTOR),
    );
    return nodeDetailLine(state);
  });
};

/**
 * `duffy admin node add FILE`: every row of the inventory is checked before any is registered
 * (one bad row: every problem printed, nothing written); then one line per row, going on after a
 * refused one, exit 1 if any was.
 */
export const addNodes: ServerCommand = async (args, io) => {
  const { FILE } = positionalArguments(args.words, ['FILE']);
  let rows: InventoryNode[];
  try {
    rows = parseNodeInventory(FILE, readFileSync(FILE, 'utf8'));
  } catch (error) {
    if (error instanceof InventoryError) {
      io.stderr(error.problems.map((p) => `ERROR: ${p}\n`).join(''));
    } else {
      const why = error instanceof Error ? error.message : String(error);
      io.stderr(`ERROR: ${FILE}: cannot read: ${why}\n`);
    }
    return 1;
  }
  const config = loadServerConfig(args, io);
  if (!config) return 1;
  const context = await openAdminContext(config);
  let failed = 0;
  try {
    // As POST /nodes (W-S4): no second active node with the same hostname or address.
    const active = (await readNodes(context.store)).filter((n) => !n.retired);
    const taken = new Set(active.flatMap((n) => [n.hostname, n.ipaddr]));
    for (const row of rows) {
      if (taken.has(row.hostname) || taken.has(row.ipaddr)) {
        failed++;
        io.stderr(
          `ERROR: line ${row.line}: ${row.hostname}: already_exists an active node already ` +
            `has hostname '${row.hostname}' or ipaddr '${row.ipaddr}'\n`,
        );
        continue;
      }
      try {
        const node = await context.bus.execute(
          new RegisterNodeCommand(row.hostname, row.ipaddr, {
            pool: row.pool ?? null,
            comment: row.comment ?? null,
            ...(row.reusable !== undefined ? { reusable: row.reusable } : {}),
            ...(row.data ? { data: row.data } : {}),
            actor: ADMIN_ACTOR,
          }),
        );
        io.stdout(`OK: ${row.hostname} (${row.ipaddr}) node ${node.nodeId}\n`);
        taken.add(row.hostname).add(row.ipaddr);
      } catch (error) {
        if (!isDomainError(error)) throw error;
        failed++;
        io.stderr(`ERROR: line ${row.line}: ${row.hostname}: ${error.code} ${error.detail}\n`);
      }
    }
  } finally {
    await context.close();
  }
  return failed > 0 ? 1 : 0;
};
