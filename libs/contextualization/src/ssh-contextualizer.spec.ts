import { createServer, Server } from 'node:net';
import {
  LoopbackSshd,
  startLoopbackSshd,
  TEST_AUTHORIZED_KEYS_PATH,
} from '../../../test/support/loopback-sshd';
import { SEPARATOR } from './remote-commands';
import { SshContextualizer } from './ssh-contextualizer';

// Real sshd on loopback addresses; each address is a "node" with its own authorized_keys.
const nodes = ['127.1.0.2', '127.1.0.3', '127.1.0.4'];
const tenantKey =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOfakefakefakefakefakefakefakefakefakefake tenant@ci';
const otherKey =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOotherotherotherotherotherotherotherother other@ci';

describe('SshContextualizer (real sshd on loopback)', () => {
  let sshd: LoopbackSshd;
  let ssh: SshContextualizer;
  let original: string;

  beforeAll(async () => {
    sshd = await startLoopbackSshd(nodes);
    ssh = new SshContextualizer({
      port: sshd.port,
      identityFile: sshd.identityFile,
      authorizedKeys: TEST_AUTHORIZED_KEYS_PATH,
      timeoutMs: 20_000,
    });
    original = sshd.readAuthorizedKeys(nodes[0]);
  });
  afterAll(() => sshd.stop());

  it('installs the tenant key under the separator on every node, in input order', async () => {
    const outcomes = await ssh.contextualize([nodes[1], nodes[0]], tenantKey);
    expect(outcomes).toEqual([
      { ipaddr: nodes[1], ok: true },
      { ipaddr: nodes[0], ok: true },
    ]);
    for (const n of [nodes[0], nodes[1]]) {
      expect(sshd.readAuthorizedKeys(n)).toBe(`${original}${SEPARATOR}\n${tenantKey}\n`);
    }
    expect(sshd.readAuthorizedKeys(nodes[2])).toBe(original);
  });

  it('replaces, never stacks, the credentials of a previous tenant', async () => {
    await ssh.contextualize([nodes[0]], tenantKey);
    await ssh.contextualize([nodes[0]], otherKey);
    expect(sshd.readAuthorizedKeys(nodes[0])).toBe(`${original}${SEPARATOR}\n${otherKey}\n`);
  });

  it("removes the tenant's credentials and keeps Duffy's own key", async () => {
    await ssh.contextualize([nodes[2]], tenantKey);
    expect(await ssh.decontextualize([nodes[2]])).toEqual([{ ipaddr: nodes[2], ok: true }]);
    expect(sshd.readAuthorizedKeys(nodes[2])).toBe(original);
    // Duffy can still log in afterwards.
    expect(await ssh.decontextualize([nodes[2]])).toEqual([{ ipaddr: nodes[2], ok: true }]);
  });

  it('reports a node nobody answers on, without failing the others', async () => {
    const outcomes = await ssh.contextualize([nodes[1], '127.1.0.250'], tenantKey);
    expect(outcomes[0]).toEqual({ ipaddr: nodes[1], ok: true });
    expect(outcomes[1]).toMatchObject({ ipaddr: '127.1.0.250', ok: false });
    expect(outcomes[1].reason).toMatch(/^ssh to 127\.1\.0\.250 failed: exit 255/);
  });

  it('gives up on a node that stalls after its greeting', async () => {
    // Greets like an ssh server, then never answers the key exchange.
    const silent: Server = createServer((socket) => socket.write('SSH-2.0-stalled\r\n'));
    await new Promise<void>((r) => silent.listen(sshd.port, '127.1.0.251', r));
    try {
      const quick = new SshContextualizer({
        port: sshd.port,
        identityFile: sshd.identityFile,
        authorizedKeys: TEST_AUTHORIZED_KEYS_PATH,
        timeoutMs: 1500,
      });
      const [outcome] = await quick.contextualize(['127.1.0.251'], tenantKey);
      expect(outcome).toEqual({
        ipaddr: '127.1.0.251',
        ok: false,
        reason: 'ssh to 127.1.0.251 failed: timed out after 1500 ms',
      });
    } finally {
      silent.close();
    }
  });
});
