const SCHEMES = ['nats:', 'tls:', 'ws:', 'wss:'];

/**
 * `tasks.nats.url` as the servers it names: one URL, or a cluster's separated by commas (the
 * nats CLI's convention); undefined when any of them is not a NATS URL.
 */
export function natsServerList(value: unknown): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  const servers = value.split(',').map((s) => s.trim());
  for (const s of servers) {
    try {
      if (!SCHEMES.includes(new URL(s).protocol)) return undefined;
    } catch {
      return undefined;
    }
  }
  return servers;
}
