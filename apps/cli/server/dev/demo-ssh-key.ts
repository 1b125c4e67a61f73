import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const OWN_KEYS = ['id_ed25519.pub', 'id_ecdsa.pub', 'id_rsa.pub'];

/**
 * The admin tenant's ssh key: the user's own public key when there is one (so a `--ssh`
 * configuration's nodes let them in), else a fresh ed25519 public key made with Node alone —
 * the demo nodes are folders, nobody logs into them.
 */
export function demoSshKey(home = homedir()): { key: string; source: string } {
  for (const name of OWN_KEYS) {
    const file = join(home, '.ssh', name);
    if (existsSync(file)) {
      const key = readFileSync(file, 'utf8').trim();
      if (key) return { key, source: file };
    }
  }
  return { key: generatedEd25519Key('duffy-dev-admin'), source: 'generated (no private key kept)' };
}

/** OpenSSH's one-line form: `ssh-ed25519 base64(string "ssh-ed25519", string key) comment`. */
export function generatedEd25519Key(comment: string): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(raw)]);
  return `ssh-ed25519 ${blob.toString('base64')} ${comment}`;
}

function sshString(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}
