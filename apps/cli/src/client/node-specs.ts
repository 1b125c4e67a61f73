import type { NodesSpecBody } from '../../../../libs/contracts/src/rest/bodies.js';
import { UsageError } from '../argv.js';

/** One `nodes_specs` item of POST /sessions. */
export type NodeSpec = NodesSpecBody;

/**
 * `request-session` items, `pool=P,quantity=N` each, with the original's messages (compat §7):
 * `Duplicate key: <k>`, and ``Both `pool` and `quantity` must be set`` also for extra keys. An
 * item without `=` gets a message of its own where the original crashed (W-L4).
 */
export function parseNodeSpec(item: string): NodeSpec {
  const fields: Record<string, string> = {};
  for (const part of item.split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) {
      throw new UsageError(`Invalid node spec '${item}': expected pool=<pool>,quantity=<n>`);
    }
    const key = part.slice(0, eq);
    if (key in fields) throw new UsageError(`Duplicate key: ${key}`);
    fields[key] = part.slice(eq + 1);
  }
  const keys = Object.keys(fields).sort();
  if (keys.join(',') !== 'pool,quantity') {
    throw new UsageError('Both `pool` and `quantity` must be set');
  }
  // The API validates the quantity further (> 0); here only what is no integer at all.
  if (!/^[+-]?\d+$/.test(fields.quantity.trim())) {
    throw new UsageError(`Invalid quantity '${fields.quantity}': not an integer`);
  }
  return { quantity: Number(fields.quantity), pool: fields.pool };
}

export function parseNodeSpecs(items: string[]): NodeSpec[] {
  if (items.length === 0) throw new UsageError('at least one pool=<pool>,quantity=<n> is needed');
  return items.map(parseNodeSpec);
}
