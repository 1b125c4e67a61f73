import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The pools of a chaos run: what the load asks for and the checker's `pools` evidence. */
export const CHAOS_POOLS = [
  // Static machines, contextualized over the run's real sshd on their loopback addresses.
  { name: 'chaos-static', fillLevel: 4, mechanism: 'static' as const },
  // Reusable Ansible machines: provisioned once, deprovisioned and provisioned again.
  { name: 'chaos-reuse', fillLevel: 3, mechanism: 'ansible' as const },
  // Throw-away Ansible machines: every lifecycle is a new node.
  { name: 'chaos-cloud', fillLevel: 3, mechanism: 'ansible' as const },
];

/** Static hosts: sshd listens on at most 16 sockets, and these are all it serves. */
export const STATIC_ADDRESSES = [...Array(8).keys()].map((i) => `127.3.0.${i + 1}`);

export interface ChaosConfigInput {
  dir: string;
  databaseUrl: string;
  natsServers: string[];
  markerDir: string;
  playbookDir: string;
  /** The first api, the metaclient's upstream. */
  apiUrl: string;
  metaclientPort: number;
  legacyKeys: Record<string, string>;
  defaultQuota: number;
}

/**
 * Writes the configuration directory every service of the run reads (ports per instance come from
 * DUFFY_… overrides): compact mode, short session lifetimes so forgotten sessions expire in the
 * run, and the three pools.
 */
export function writeChaosConfig(o: ChaosConfigInput): string {
  mkdirSync(o.dir, { recursive: true });
  const usermap = Object.entries(o.legacyKeys)
    .map(([key, tenant]) => `    ${key}: ${tenant}`)
    .join('\n');
  const hosts = STATIC_ADDRESSES.map(
    (a, i) => `            - { hostname: s${i + 1}.chaos.localhost, ipaddr: ${a} }`,
  ).join('\n');
  const file = join(o.dir, '10_chaos.yaml');
  writeFileSync(
    file,
    `# Written by test/chaos for one run; every address is on loopback.
app:
  host: 127.0.0.1
  port: 18081
  loglevel: info
  session-wait: 20s
metaclient:
  host: 127.0.0.1
  port: ${o.metaclientPort}
  loglevel: info
  dest: ${o.apiUrl}
  usermap:
${usermap}
  poolmap:
    - { arch: x86_64, pool: chaos-reuse }
    - { arch: aarch64, pool: chaos-cloud }
tasks:
  nats:
    url: ${o.natsServers.join(',')}
    replicas: 3
    prefix: chaos
  periodic:
    fill-pools: { interval: 3s }
    expire-sessions: { interval: 3s }
database:
  url: ${o.databaseUrl}
eventstore:
  type: postgres
observability:
  ready:
    max-projection-lag: 30s
defaults:
  session-lifetime: 90s
  session-lifetime-max: 5m
  node-quota: ${o.defaultQuota}
nodepools:
  abstract:
    chaos-ansible:
      mechanism:
        type: ansible
        ansible:
          topdir: ${o.playbookDir}
          extra-vars:
            marker_dir: ${o.markerDir}
          provision:
            playbook: provision.yml
            extra-vars: { provision_delay: 1 }
          deprovision:
            playbook: deprovision.yml
            extra-vars: { deprovision_delay: 0.5 }
  concrete:
    chaos-static:
      fill-level: 4
      run-parallel: true
      mechanism:
        type: static
        static:
          hosts:
${hosts}
    chaos-reuse:
      extends: chaos-ansible
      fill-level: 3
      contextualize: false
      run-parallel: true
      architecture: x86_64
      reuse-nodes:
        architecture: '<%= architecture %>'
    chaos-cloud:
      extends: chaos-ansible
      fill-level: 3
      contextualize: false
      run-parallel: false
      reuse-nodes: false
`,
  );
  // The usermap holds legacy keys: the metaclient refuses a file others can read.
  chmodSync(file, 0o600);
  return o.dir;
}
