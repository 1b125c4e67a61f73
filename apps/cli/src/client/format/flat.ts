/**
 * `--format flat`: shell-`eval`-friendly `key=value` lines, as the original prints them
 * (compat §7): chosen by the first top-level key of `error`, `pool`, `pools`, `session`,
 * `sessions`; one line per pool, or per node of a session, nodes sorted by pool, hostname,
 * ipaddr (nulls first, where the original crashed, W-L5); tenants, which the original's client
 * never printed, as one line of their fields each.
 */
type Json = Record<string, unknown>;

export class UnflattenableResult extends Error {}

export function formatFlat(result: Json): string {
  const lines = flatLines(result);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function flatLines(result: Json): string[] {
  if ('error' in result) return [pairs({ error: (result.error as Json)?.detail })];
  if ('pool' in result) return [poolLine(result.pool as Json)];
  if ('pools' in result) return (result.pools as Json[]).map(poolLine);
  if ('session' in result) return sessionLines(result.session as Json);
  if ('sessions' in result) return (result.sessions as Json[]).flatMap(sessionLines);
  // Not in the original (its client has no tenant commands): one line of scalar fields each.
  if ('tenant' in result) return [tenantLine(result.tenant as Json)];
  if ('tenants' in result) return (result.tenants as Json[]).map(tenantLine);
  throw new UnflattenableResult(
    `cannot print this result in the flat format (keys: ${Object.keys(result).join(', ')})`,
  );
}

const LEVELS = ['provisioning', 'ready', 'contextualizing', 'deployed', 'deprovisioning'];

function poolLine(pool: Json): string {
  const fields: Json = { pool_name: pool.name, fill_level: pool['fill-level'] };
  const levels = pool.levels as Json | undefined;
  if (levels) for (const l of LEVELS) fields[`levels_${l}`] = levels[l];
  return pairs(fields);
}

function sessionLines(session: Json): string[] {
  const nodes = [...((session.nodes as Json[]) ?? [])].sort(
    (a, b) =>
      compare(a.pool, b.pool) || compare(a.hostname, b.hostname) || compare(a.ipaddr, b.ipaddr),
  );
  return nodes.map((node) =>
    pairs({
      session_id: session.id,
      active: session.active,
      created_at: session.created_at,
      retired_at: session.retired_at,
      pool: node.pool,
      hostname: node.hostname,
      ipaddr: node.ipaddr,
    }),
  );
}

function tenantLine(tenant: Json): string {
  return pairs(
    Object.fromEntries(
      Object.entries(tenant).filter(([, v]) => typeof v !== 'object' || v === null),
    ),
  );
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return String(a) < String(b) ? -1 : 1;
}

function pairs(fields: Json): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${flatValue(v)}`)
    .join(' ');
}

/** null → empty, booleans → TRUE/FALSE, numbers as they are, the rest shell-quoted. */
export function flatValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return String(v);
  return shellQuote(String(v));
}

/** Python's shlex.quote, then wrapped in single quotes if that left it bare (the original's rule). */
function shellQuote(s: string): string {
  if (s === '') return "''";
  if (/^[\w@%+=:,./-]+$/.test(s)) return `'${s}'`;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}
