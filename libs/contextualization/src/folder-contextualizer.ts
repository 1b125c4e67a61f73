import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { credentialsBlock, SEPARATOR } from './remote-commands';
import type { NodeContextualizer } from './node-contextualizer';
import type { NodeOutcome } from './ssh-contextualizer';

/**
 * The demo nodes of `duffy dev` are loopback addresses with no machine (and no sshd) behind
 * them, so each one's `authorized_keys` is a file under `<root>/<ipaddr>/`, edited with the
 * same rule the ssh commands apply remotely: lines above the separator are Duffy's, the tenant's
 * key goes below it. A user can look at the file to see what a real node would hold.
 */
export class FolderContextualizer implements NodeContextualizer {
  constructor(private readonly root: string) {}

  /** Where a node's authorized_keys lives. */
  keysFile(ipaddr: string): string {
    return join(this.root, ipaddr.replace(/[^0-9a-zA-Z.:-]/g, '_'), 'authorized_keys');
  }

  contextualize(ipaddrs: string[], sshKey: string): Promise<NodeOutcome[]> {
    return Promise.all(
      ipaddrs.map((ip) => this.rewrite(ip, (kept) => kept + credentialsBlock(sshKey))),
    );
  }

  decontextualize(ipaddrs: string[]): Promise<NodeOutcome[]> {
    return Promise.all(ipaddrs.map((ip) => this.rewrite(ip, (kept) => kept)));
  }

  private async rewrite(ipaddr: string, next: (kept: string) => string): Promise<NodeOutcome> {
    const file = this.keysFile(ipaddr);
    try {
      await mkdir(join(file, '..'), { recursive: true });
      const current = await readFile(file, 'utf8').catch(() => '');
      await writeFile(file, next(keptLines(current)), { mode: 0o600 });
      return { ipaddr, ok: true };
    } catch (error) {
      return { ipaddr, ok: false, reason: (error as Error).message };
    }
  }
}

/** What `sed -n '/SEPARATOR/q;p'` keeps: every line before the first separator. */
function keptLines(content: string): string {
  const lines = content.split('\n');
  const cut = lines.findIndex((l) => l.includes(SEPARATOR));
  const kept = cut === -1 ? lines : lines.slice(0, cut);
  const text = kept.join('\n');
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
