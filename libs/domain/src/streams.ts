/** Stream names, one stream per aggregate instance (DESIGN §3). */
export const tenantStream = (name: string): string => `tenant-${name}`;
export const nodeStream = (id: number): string => `node-${id}`;
export const sessionStream = (id: number): string => `session-${id}`;
export const poolStream = (name: string): string => `pool-${name}`;
/** One provisioning run (a playbook or driver run), by its UUID. */
export const runStream = (runId: string): string => `run-${runId}`;

export const STREAM_PREFIX = {
  tenant: 'tenant-',
  node: 'node-',
  session: 'session-',
  pool: 'pool-',
  run: 'run-',
} as const;

/** The numeric id in `node-<id>` / `session-<id>`, or undefined for any other stream. */
export function streamId(stream: string, prefix: string): number | undefined {
  if (!stream.startsWith(prefix)) return undefined;
  const id = Number(stream.slice(prefix.length));
  return Number.isInteger(id) ? id : undefined;
}
