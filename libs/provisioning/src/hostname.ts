import { promises as dns } from 'node:dns';

/** Reverse DNS for a result without a hostname; the address itself when nothing answers (compat §4.7). */
export async function hostnameOf(ipaddr: string, given?: unknown): Promise<string> {
  if (typeof given === 'string' && given !== '') return given;
  try {
    const { hostname } = await dns.lookupService(ipaddr, 0);
    return hostname || ipaddr;
  } catch {
    return ipaddr;
  }
}
