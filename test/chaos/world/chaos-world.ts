import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDuffy } from '../../support/duffy-dev';
import { testDatabaseUrl, withAdmin } from '../../support/postgres';

/** A database of the run on the machine's PostgreSQL; events and read models together. */
export async function recreateDatabase(name: string, template?: string): Promise<string> {
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  });
  return testDatabaseUrl(name);
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** `duffy -c DIR ARGS…`, failing with its output when it fails. */
export async function duffyAdmin(configDir: string, ...args: string[]): Promise<string> {
  const run = await runDuffy(['-c', configDir, ...args], { HOME: '/nonexistent' });
  if (run.code !== 0) {
    throw new Error(`duffy ${args.join(' ')} exited ${run.code}: ${run.stderr}${run.stdout}`);
  }
  return run.stdout;
}

export interface ChaosTenant {
  name: string;
  key: string;
  legacyKey?: string;
}

/**
 * The run's tenants, made with `duffy admin create-tenant` before any service starts, each with
 * `quota` and one SSH key (`useLegacyKeys` then gives some a legacy key).
 */
export async function createTenants(
  configDir: string,
  keyDir: string,
  names: string[],
  quota: number,
): Promise<ChaosTenant[]> {
  mkdirSync(keyDir, { recursive: true });
  const keyFile = join(keyDir, 'tenant_ed25519');
  execFileSync('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    '',
    '-C',
    'chaos-tenant',
    '-f',
    keyFile,
  ]);
  const sshKey = readFileSync(`${keyFile}.pub`, 'utf8').trim();
  const tenants: ChaosTenant[] = [];
  for (const name of names) {
    const out = await duffyAdmin(
      configDir,
      'admin',
      'create-tenant',
      name,
      sshKey,
      '--node-quota',
      String(quota),
    );
    tenants.push({ name, key: out.trim().split(': ')[2] });
  }
  return tenants;
}

/** Legacy keys of the first two tenants (the metaclient's usermap needs them before it starts). */
export function legacyKeysFor(tenants: string[]): Record<string, string> {
  const keys: Record<string, string> = {};
  tenants.slice(0, 2).forEach((name, i) => {
    keys[`0000000${i + 1}-cafe-4000-8000-00000000000${i + 1}`] = name;
  });
  return keys;
}

/**
 * The metaclient signs its upstream calls with the tenant's name and the legacy key, so a tenant
 * with a legacy key uses it as its REST key too (as the original's cico users did).
 */
export async function useLegacyKeys(
  configDir: string,
  tenants: ChaosTenant[],
  legacyKeys: Record<string, string>,
): Promise<void> {
  for (const [key, name] of Object.entries(legacyKeys)) {
    const tenant = tenants.find((t) => t.name === name);
    if (!tenant) continue;
    await duffyAdmin(configDir, 'admin', 'update-tenant', name, '--api-key', key);
    tenant.key = key;
    tenant.legacyKey = key;
  }
}

/** The reusable machines of `chaos-reuse`: registered unused, picked by the fill's reuse-nodes. */
export async function registerReusableNodes(configDir: string, count: number): Promise<void> {
  const file = join(configDir, '..', 'reuse-inventory.yaml');
  const rows = [...Array(count).keys()].map(
    (i) =>
      `- { hostname: r${i + 1}.chaos.localhost, ipaddr: 127.5.0.${i + 1}, reusable: true, ` +
      `data: { architecture: x86_64 } }`,
  );
  writeFileSync(file, `${rows.join('\n')}\n`);
  await duffyAdmin(configDir, 'admin', 'node', 'add', file);
}
