import { isIP } from 'node:net';
import { load } from 'js-yaml';

/** One static node of an inventory file, as POST /nodes takes it. */
export interface InventoryNode {
  hostname: string;
  ipaddr: string;
  pool?: string;
  reusable?: boolean;
  comment?: string;
  data?: Record<string, unknown>;
  /** Where it was in the file (1-based line) for per-row reports. */
  line: number;
}

const COLUMNS = ['hostname', 'ipaddr', 'pool', 'reusable', 'comment', 'data'];

/** Every problem of the file, each naming `file:line` and the field; nothing is written. */
export class InventoryError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/**
 * Parses a YAML (a list, or `{nodes: [...]}`) or CSV (header line first) inventory of static
 * nodes and validates every row before any is used: bad IP, missing hostname, a hostname or
 * address twice in the file, an unknown column.
 */
export function parseNodeInventory(file: string, text: string): InventoryNode[] {
  const rows = /\.csv$/i.test(file) ? csvRows(text) : yamlRows(file, text);
  const problems: string[] = [];
  const nodes: InventoryNode[] = [];
  const seen = { hostname: new Map<string, number>(), ipaddr: new Map<string, number>() };
  for (const { line, fields } of rows) {
    const at = (field: string) => `${file}:${line}: ${field}`;
    for (const key of Object.keys(fields)) {
      if (!COLUMNS.includes(key)) problems.push(`${at(key)}: unknown column`);
    }
    const hostname = text_(fields.hostname);
    const ipaddr = text_(fields.ipaddr);
    if (!hostname) problems.push(`${at('hostname')}: missing`);
    if (!ipaddr) problems.push(`${at('ipaddr')}: missing`);
    else if (isIP(ipaddr) === 0) problems.push(`${at('ipaddr')}: not an IP address: '${ipaddr}'`);
    for (const [field, value] of [
      ['hostname', hostname],
      ['ipaddr', ipaddr],
    ] as const) {
      if (!value) continue;
      const first = seen[field].get(value);
      if (first !== undefined) {
        problems.push(`${at(field)}: '${value}' already on line ${first}`);
      } else seen[field].set(value, line);
    }
    const reusable = bool(fields.reusable);
    if (reusable === null) problems.push(`${at('reusable')}: must be true or false`);
    const data = mapping(fields.data);
    if (data === null) problems.push(`${at('data')}: must be a mapping (JSON object in CSV)`);
    nodes.push({
      hostname: hostname ?? '',
      ipaddr: ipaddr ?? '',
      ...(text_(fields.pool) ? { pool: text_(fields.pool) } : {}),
      ...(reusable !== undefined && reusable !== null ? { reusable } : {}),
      ...(text_(fields.comment) ? { comment: text_(fields.comment) } : {}),
      ...(data ? { data } : {}),
      line,
    });
  }
  if (rows.length === 0) problems.push(`${file}:1: no nodes in the file`);
  if (problems.length > 0) throw new InventoryError(problems);
  return nodes;
}

interface Row {
  line: number;
  fields: Record<string, unknown>;
}

function csvRows(text: string): Row[] {
  const lines = text.split(/\r?\n/);
  const header = lines[0].split(',').map((c) => c.trim());
  const rows: Row[] = [];
  lines.slice(1).forEach((raw, i) => {
    if (raw.trim() === '' || raw.trim().startsWith('#')) return;
    const cells = splitCsv(raw);
    const line = i + 2;
    const fields: Record<string, unknown> = {};
    header.forEach((h, j) => {
      if (cells[j] !== undefined && cells[j] !== '') fields[h] = cells[j];
    });
    if (cells.length > header.length) fields[`column ${header.length + 1}`] = cells[header.length];
    if (typeof fields.data === 'string') fields.data = jsonOrInvalid(fields.data);
    rows.push({ line, fields });
  });
  return rows;
}

/** Commas split cells; a cell in double quotes may hold commas and `""` for a quote. */
function splitCsv(line: string): string[] {
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      cur += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === ',' && !quoted) {
      cells.push(cur.trim());
      cur = '';
    } else {
      cur += c;
    }
  }
  cells.push(cur.trim());
  return cells;
}

function yamlRows(file: string, text: string): Row[] {
  let doc: unknown;
  try {
    doc = load(text);
  } catch (e) {
    const mark = (e as { mark?: { line: number } }).mark;
    throw new InventoryError([`${file}:${(mark?.line ?? 0) + 1}: not valid YAML`]);
  }
  const list = Array.isArray(doc) ? doc : (doc as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(list)) {
    throw new InventoryError([`${file}:1: nodes: expected a list, or a mapping with nodes`]);
  }
  // js-yaml keeps no positions: a row's line is where its `- ` item starts.
  const starts = [...text.matchAll(/^\s*- /gm)].map(
    (m) => text.slice(0, m.index).split('\n').length,
  );
  return list.map((item, i) => ({
    line: starts[i] ?? i + 1,
    fields:
      item && typeof item === 'object' && !Array.isArray(item)
        ? (item as Record<string, unknown>)
        : { 'row (not a mapping)': item },
  }));
}

const INVALID = Symbol('invalid');

function jsonOrInvalid(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return INVALID;
  }
}

function text_(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const s = String(v).trim();
  return s === '' ? undefined : s;
}

function bool(v: unknown): boolean | undefined | null {
  if (v === undefined) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return null;
}

function mapping(v: unknown): Record<string, unknown> | undefined | null {
  if (v === undefined) return undefined;
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  return null;
}
