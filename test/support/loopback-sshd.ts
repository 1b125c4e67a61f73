import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real OpenSSH server on loopback addresses, standing in for the machines of a pool: every
 * address gets its own authorized_keys file (and `$DUFFY_TEST_AUTHORIZED_KEYS` pointing at it),
 * so a test can see exactly what Duffy wrote to which node. Root's own files are never touched.
 */
export interface LoopbackSshd {
  port: number;
  /** Private key Duffy uses to log in (its line sits above the separator on every node). */
  identityFile: string;
  /** Path of the node's authorized_keys file. */
  authorizedKeysOf(ipaddr: string): string;
  readAuthorizedKeys(ipaddr: string): string;
  stop(): Promise<void>;
}

/** The remote path Duffy is configured with in tests: each node's own file. */
export const TEST_AUTHORIZED_KEYS_PATH = '"$DUFFY_TEST_AUTHORIZED_KEYS"';

export async function startLoopbackSshd(addresses: string[]): Promise<LoopbackSshd> {
  for (const a of addresses) {
    if (!a.startsWith('127.')) throw new Error(`test sshd only listens on loopback, not ${a}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'duffy-sshd-'));
  const hostKey = join(dir, 'host_ed25519');
  const identityFile = join(dir, 'duffy_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'duffy', '-f', identityFile]);
  const duffyKey = readFileSync(`${identityFile}.pub`, 'utf8');
  const port = await freePort();
  const nodeFile = (a: string) => join(dir, 'nodes', a, 'authorized_keys');
  const matches = addresses.map((a) => {
    mkdirSync(join(dir, 'nodes', a), { recursive: true });
    writeFileSync(nodeFile(a), `# provisioned by the test\n${duffyKey}`);
    return [
      `Match LocalAddress ${a}`,
      `  AuthorizedKeysFile ${nodeFile(a)}`,
      `  SetEnv DUFFY_TEST_AUTHORIZED_KEYS=${nodeFile(a)}`,
    ].join('\n');
  });
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      ...addresses.map((a) => `ListenAddress ${a}:${port}`),
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'AuthorizedKeysFile none',
      'LogLevel ERROR',
      ...matches,
      '',
    ].join('\n'),
  );
  mkdirSync('/run/sshd', { recursive: true });
  const sshd: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  sshd.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  await waitForPort(addresses[0], port, () => stderr, sshd);
  return {
    port,
    identityFile,
    authorizedKeysOf: nodeFile,
    readAuthorizedKeys: (a) => readFileSync(nodeFile(a), 'utf8'),
    stop: async () => {
      sshd.kill('SIGTERM');
      await new Promise((r) => (sshd.exitCode !== null ? r(null) : sshd.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(
  host: string,
  port: number,
  stderr: () => string,
  proc: ChildProcess,
): Promise<void> {
  const { connect } = await import('node:net');
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) throw new Error(`test sshd exited: ${stderr()}`);
    const up = await new Promise<boolean>((resolve) => {
      const c = connect(port, host);
      c.once('connect', () => (c.destroy(), resolve(true)));
      c.once('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`test sshd did not listen on ${host}:${port}: ${stderr()}`);
}
