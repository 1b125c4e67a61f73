import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandBus } from '@nestjs/cqrs';
import { compare } from 'bcryptjs';
import { load } from 'js-yaml';
import { CreateTenantCommand, loadAggregate, UpdateTenantCommand } from '@app/application';
import { tenantDecider, tenantStream } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { demoSshKey } from './demo-ssh-key';

export const ADMIN_TENANT = 'admin';
export const CLIENT_CONFIG_FILE = 'duffy-client.yaml';

export interface AdminClient {
  name: string;
  key: string;
  /** Where its client configuration was written. */
  file: string;
  /** What happened on this start, for the banner. */
  created: 'tenant' | 'key' | 'none';
}

/**
 * The admin tenant of `duffy dev` and a client configuration for it, in the original client's
 * format. Created on first start; later starts keep the key (only its bcrypt hash is in the
 * event store, so the file is where it lives) and rewrite the URL, which follows --port. If the
 * file is lost or its key no longer matches, the key is reset: the old one is unknowable.
 */
export async function ensureAdminClient(
  /** The application's bus, which makes or updates the tenant. */
  bus: CommandBus,
  store: EventStore,
  dataDir: string,
  apiUrl: string,
): Promise<AdminClient> {
  const file = join(dataDir, CLIENT_CONFIG_FILE);
  const tenant = (await loadAggregate(store, tenantStream(ADMIN_TENANT), tenantDecider)).state;
  let key: string;
  let created: AdminClient['created'] = 'none';
  if (!tenant.exists) {
    const result = await bus.execute(
      new CreateTenantCommand(ADMIN_TENANT, demoSshKey().key, {
        isAdmin: true,
        actor: 'system:duffy-dev',
      }),
    );
    key = result.apiKey;
    created = 'tenant';
  } else {
    const saved = savedKey(file);
    // The key may have been reset since (`duffy admin update-tenant admin --api-key reset`).
    if (saved && (await compare(saved, tenant.apiKeyHash))) key = saved;
    else {
      const result = await bus.execute(
        new UpdateTenantCommand(ADMIN_TENANT, { apiKey: 'reset' }, 'system:duffy-dev'),
      );
      key = result.apiKey as string;
      created = 'key';
    }
  }
  writeFileSync(file, clientConfig(apiUrl, ADMIN_TENANT, key), { mode: 0o600 });
  return { name: ADMIN_TENANT, key, file, created };
}

function savedKey(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const doc = load(readFileSync(file, 'utf8')) as { client?: { auth?: { key?: unknown } } };
    const key = doc?.client?.auth?.key;
    return typeof key === 'string' && key !== '' ? key : undefined;
  } catch {
    return undefined;
  }
}

function clientConfig(url: string, name: string, key: string): string {
  return [
    '# Written by `duffy dev` for its admin tenant; use it with `duffy client -c <this file> …`.',
    'client:',
    `  url: ${url}`,
    '  auth:',
    `    name: ${name}`,
    `    key: ${key}`,
    '',
  ].join('\n');
}
