import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Configuration files of allocation-cycle.bench.ts. Every address is on loopback.
export const POOL = 'bench';

/**
 * Compact mode as deploy/config/compact has it (session-wait 60 s, a tasks section, so the
 * projector relays to NATS JetStream), with one static pool of `contextualize: false` nodes
 * (seeded ready by the bench; nothing provisions them) instead of the Ansible pools.
 */
export function writeCompactConfig(url: string, port: number, natsPrefix: string): string {
  return write(
    'compact',
    `app: { host: 127.0.0.1, port: ${port}, session-wait: 60s }\n` +
      `database: { url: '${url}' }\n` +
      'eventstore: { type: postgres }\n' +
      `tasks: { nats: { url: 'nats://127.0.0.1:4222', prefix: ${natsPrefix} } }\n` +
      'defaults: { session-lifetime: 6h, session-lifetime-max: 12h, node-quota: 10 }\n' +
      `nodepools:\n  concrete:\n    ${POOL}:\n      fill-level: 1\n      contextualize: false\n` +
      '      mechanism: { type: static, static: { hosts: [{ hostname: b.test, ipaddr: 127.0.0.1 }] } }\n',
  );
}

/**
 * Laid over the demo configuration of `duffy dev`: one more demo pool, `hosts` static loopback
 * nodes (127.0.<4+i/250>.<i%250+1>), all of them kept ready by the provisioner, keys into
 * folders as in the demo (contextualized, so POST waits for the provisioner).
 */
export function writeEmbeddedConfig(hosts: number): string {
  const list = Array.from({ length: hosts }, (_, i) => {
    const ip = `127.0.${4 + Math.floor(i / 250)}.${(i % 250) + 1}`;
    return `            - { hostname: b${i + 1}.demo.localhost, ipaddr: ${ip} }\n`;
  }).join('');
  return write(
    'embedded',
    'app: { session-wait: 60s }\n' +
      `nodepools:\n  concrete:\n    ${POOL}:\n      extends: demo\n      fill-level: ${hosts}\n` +
      '      flavor: bench\n      mechanism:\n        type: static\n        static:\n          hosts:\n' +
      list,
  );
}

function write(mode: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), `duffy-bench-cycle-${mode}-`)), 'config.yaml');
  writeFileSync(file, text);
  return file;
}
