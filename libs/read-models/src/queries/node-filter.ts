/** The filters of an admin's `GET /nodes`; each one given narrows the list. */
export interface NodeFilter {
  pool?: string;
  state?: string;
  /** A shell-style pattern: `*` any run of characters, `?` one; everything else literal. */
  hostname?: string;
  /** true: only nodes in maintenance; false: only nodes in service. */
  maintenance?: boolean;
  /** Only the nodes of this tenant's active sessions (what a tenant may list). */
  tenantId?: number;
}

/**
 * The glob as a LIKE pattern: LIKE's own `%`, `_` and the escape character `\` are escaped
 * first, so a hostname pattern matches only what the glob says.
 */
export function globToLike(glob: string): string {
  let like = '';
  for (const ch of glob) {
    if (ch === '*') like += '%';
    else if (ch === '?') like += '_';
    else if (ch === '%' || ch === '_' || ch === '\\') like += `\\${ch}`;
    else like += ch;
  }
  return like;
}

/** The WHERE clause over active nodes and its parameters (values never enter the SQL text). */
export function nodeFilterSql(filter: NodeFilter): { where: string; params: unknown[] } {
  const clauses = ['retired_at IS NULL'];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.pool !== undefined) clauses.push(`pool = ${param(filter.pool)}`);
  if (filter.state !== undefined) clauses.push(`state::text = ${param(filter.state)}`);
  if (filter.hostname !== undefined) {
    clauses.push(`hostname LIKE ${param(globToLike(filter.hostname))} ESCAPE '\\'`);
  }
  if (filter.maintenance !== undefined) {
    clauses.push(filter.maintenance ? 'maintenance IS NOT NULL' : 'maintenance IS NULL');
  }
  if (filter.tenantId !== undefined) {
    clauses.push(`id IN (SELECT sn.node_id FROM sessions_nodes sn
      JOIN sessions s ON s.id = sn.session_id
      WHERE s.retired_at IS NULL AND s.tenant_id = ${param(filter.tenantId)})`);
  }
  return { where: clauses.join(' AND '), params };
}
