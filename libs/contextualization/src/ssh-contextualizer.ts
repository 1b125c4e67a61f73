import { spawn } from 'node:child_process';
import { contextualizeCommand, credentialsBlock, decontextualizeCommand } from './remote-commands';

export interface SshContextualizerOptions {
  /** Remote login; the original's is root. */
  user?: string;
  port?: number;
  /** Duffy's private key; default: ssh's own defaults for the user running Duffy. */
  identityFile?: string;
  /** Remote path (shell-expanded there); the original's is `~root/.ssh/authorized_keys`. */
  authorizedKeys?: string;
  /** Whole-command deadline per node; the original had none (W-C6). */
  timeoutMs?: number;
  sshCommand?: string;
}

export interface NodeOutcome {
  ipaddr: string;
  ok: boolean;
  /** Why it failed, for the node's failure record. */
  reason?: string;
}

const DEFAULTS = {
  user: 'root',
  authorizedKeys: '~root/.ssh/authorized_keys',
  timeoutMs: 60_000,
  sshCommand: '/usr/bin/ssh',
};

/**
 * Installs and removes tenant keys on nodes over ssh, all nodes in parallel, each with a
 * deadline; results keep input order. Private keys never leave this process's arguments.
 */
export class SshContextualizer {
  private readonly o: SshContextualizerOptions & typeof DEFAULTS;

  constructor(options: SshContextualizerOptions = {}) {
    this.o = { ...DEFAULTS, ...options };
  }

  contextualize(ipaddrs: string[], sshKey: string): Promise<NodeOutcome[]> {
    const command = contextualizeCommand(this.o.authorizedKeys);
    return Promise.all(ipaddrs.map((ip) => this.ssh(ip, command, credentialsBlock(sshKey))));
  }

  decontextualize(ipaddrs: string[]): Promise<NodeOutcome[]> {
    const command = decontextualizeCommand(this.o.authorizedKeys);
    return Promise.all(ipaddrs.map((ip) => this.ssh(ip, command, '')));
  }

  private ssh(ipaddr: string, remote: string, stdin: string): Promise<NodeOutcome> {
    const args = [
      '-q',
      ...['-o', 'BatchMode=yes', '-o', 'CheckHostIP=no', '-o', 'ConnectionAttempts=3'],
      ...['-o', `ConnectTimeout=${Math.max(1, Math.floor(this.o.timeoutMs / 3000))}`],
      ...['-o', 'EscapeChar=none', '-o', 'ForwardAgent=no', '-o', 'ForwardX11=no'],
      ...['-o', 'PasswordAuthentication=no', '-o', 'PubkeyAuthentication=yes'],
      ...['-o', 'RequestTTY=no', '-o', 'StrictHostKeyChecking=no'],
      ...['-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR'],
      ...(this.o.port ? ['-p', String(this.o.port)] : []),
      ...(this.o.identityFile ? ['-i', this.o.identityFile, '-o', 'IdentitiesOnly=yes'] : []),
      `${this.o.user}@${ipaddr}`,
      remote,
    ];
    return new Promise((resolve) => {
      const child = spawn(this.o.sshCommand, args, { stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-1000)));
      const timer = setTimeout(() => child.kill('SIGKILL'), this.o.timeoutMs);
      child.on('error', (e) => {
        clearTimeout(timer);
        resolve({ ipaddr, ok: false, reason: `ssh could not run: ${e.message}` });
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) return resolve({ ipaddr, ok: true });
        const why = signal
          ? `timed out after ${this.o.timeoutMs} ms`
          : `exit ${code}${stderr.trim() ? `: ${stderr.trim()}` : ''}`;
        resolve({ ipaddr, ok: false, reason: `ssh to ${ipaddr} failed: ${why}` });
      });
      child.stdin.on('error', () => undefined); // the remote may close stdin early on failure
      child.stdin.end(stdin);
    });
  }
}
