import { readFileSync } from 'node:fs';
import {
  InventoryError,
  parseNodeInventory,
  type InventoryNode,
} from '../../../../libs/config/src/inventory/parse-node-inventory.js';
import { UsageError } from '../argv.js';
import type { Command, CommandArgs } from '../command.js';
import type { CliIo } from '../io.js';
import { ApiError, callApi, UnreachableError } from '../client/api-client.js';
import { CLIENT_OPTIONS } from '../client/client-options.js';
import { clientSettings } from '../client/settings.js';
import { loadConfigForCli } from './load-for-cli.js';

/**
 * `duffy client add-nodes FILE` (admins): every row of a YAML or CSV inventory is checked
 * before anything is sent; then one `POST /nodes` per row, one line each, going on after a
 * refused row (exit 1 if any was).
 */
export const clientAddNodes: Command = {
  words: ['client', 'add-nodes'],
  summary: 'add the nodes of a YAML or CSV inventory file (admins; all rows checked first)',
  usage: 'FILE',
  maxArguments: 1,
  options: CLIENT_OPTIONS,
  async run(args, io) {
    try {
      return await addNodes(args, io);
    } catch (e) {
      if (e instanceof UsageError) {
        io.stderr(`Error: ${e.message}\n`);
        return e.exitCode;
      }
      throw e;
    }
  },
};

async function addNodes(args: CommandArgs, io: CliIo): Promise<number> {
  const [file] = args.rest;
  if (file === undefined) throw new UsageError('missing argument: FILE');
  const rows = readInventory(file, io);
  if (!rows) return 1;
  const loaded = loadConfigForCli(args, io);
  if (!loaded.ok) return 1;
  const settings = clientSettings(args, loaded.config.client);
  let failed = 0;
  for (const row of rows) {
    const { line, ...body } = row;
    try {
      const answer = await callApi(settings, 'POST', '/nodes', 201, body);
      const node = answer.node as { id?: unknown } | undefined;
      io.stdout(`OK: ${row.hostname} (${row.ipaddr}) node ${String(node?.id ?? '?')}\n`);
    } catch (e) {
      if (e instanceof ApiError) {
        failed++;
        io.stderr(`ERROR: line ${line}: ${row.hostname}: ${e.status} ${e.detail}\n`);
      } else if (e instanceof UnreachableError) {
        // No api, no point in trying the next rows.
        io.stderr(`ERROR: line ${line}: ${row.hostname}: ${e.message}\n`);
        return 1;
      } else throw e;
    }
  }
  return failed > 0 ? 1 : 0;
}

/** The file's rows, or undefined when it cannot be read or has problems (all printed). */
function readInventory(file: string, io: CliIo): InventoryNode[] | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    io.stderr(`ERROR: ${file}: cannot read: ${e instanceof Error ? e.message : String(e)}\n`);
    return undefined;
  }
  try {
    return parseNodeInventory(file, text);
  } catch (e) {
    if (!(e instanceof InventoryError)) throw e;
    io.stderr(e.problems.map((p) => `ERROR: ${p}\n`).join(''));
    return undefined;
  }
}
