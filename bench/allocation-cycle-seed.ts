import { randomUUID } from 'node:crypto';
import { hash } from 'bcryptjs';
import { PostgresEventStore } from '../libs/event-store/src';
import type { Tenant } from './allocation-cycle-client';

// Compact mode's starting state, appended as the command handlers would: tenants (bcrypt cost
// 4: the bench measures allocation, not key hashing) and `nodes` ready static loopback nodes.
const BCRYPT_COST = 4;
const SEED_CONCURRENCY = 8;

export async function seedCompact(
  url: string,
  pool: string,
  tenantCount: number,
  nodes: number,
): Promise<Tenant[]> {
  const store = await PostgresEventStore.connect({ url, poolSize: SEED_CONCURRENCY });
  try {
    const at = new Date().toISOString();
    const tenants: Tenant[] = [];
    for (let t = 0; t < tenantCount; t++) {
      const tenant = { name: `ci-${t + 1}`, key: randomUUID() };
      await store.append(
        `tenant-${tenant.name}`,
        [
          {
            type: 'TenantCreated',
            data: {
              tenantId: await store.nextId('tenant'),
              name: tenant.name,
              isAdmin: false,
              sshKey: `ssh-ed25519 BENCH${t}`,
              apiKeyHash: await hash(tenant.key, BCRYPT_COST),
              nodeQuota: 10_000,
              sessionLifetimeMs: null,
              sessionLifetimeMaxMs: null,
              at,
            },
          },
        ],
        'no_stream',
      );
      tenants.push(tenant);
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: SEED_CONCURRENCY }, async () => {
        while (next++ < nodes) await seedReadyNode(store, pool, at);
      }),
    );
    return tenants;
  } finally {
    await store.close();
  }
}

async function seedReadyNode(store: PostgresEventStore, pool: string, at: string): Promise<void> {
  const nodeId = await store.nextId('node');
  const ipaddr = `127.3.${Math.floor(nodeId / 250)}.${(nodeId % 250) + 1}`;
  await store.append(
    `node-${nodeId}`,
    [
      { type: 'NodeProvisioningStarted', data: { nodeId, pool, reusable: false, at } },
      {
        type: 'NodeProvisioningSucceeded',
        data: { nodeId, hostname: `b${nodeId}.test`, ipaddr, provision: { ipaddr }, at },
      },
    ],
    'no_stream',
  );
}
