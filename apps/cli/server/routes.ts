import type { ServerCommand } from './server-io';

export interface Route {
  words: string[];
  /** Required on demand: each command loads only the libs it needs (start-up time). */
  load(): ServerCommand;
}

/** The server-side commands, found by their leading words. */
export const ROUTES: Route[] = [
  {
    words: ['admin', 'list-tenants'],
    load: () =>
      (require('./admin/list-tenants') as typeof import('./admin/list-tenants')).listTenants,
  },
  {
    words: ['admin', 'show-tenant'],
    load: () => (require('./admin/show-tenant') as typeof import('./admin/show-tenant')).showTenant,
  },
  {
    words: ['admin', 'create-tenant'],
    load: () =>
      (require('./admin/create-tenant') as typeof import('./admin/create-tenant')).createTenant,
  },
  {
    words: ['admin', 'retire-tenant'],
    load: () =>
      (require('./admin/retire-tenant') as typeof import('./admin/retire-tenant')).retireTenant,
  },
  {
    words: ['admin', 'update-tenant'],
    load: () =>
      (require('./admin/update-tenant') as typeof import('./admin/update-tenant')).updateTenant,
  },
  {
    words: ['admin', 'purge-stale'],
    load: () => (require('./admin/purge-stale') as typeof import('./admin/purge-stale')).purgeStale,
  },
  {
    words: ['admin', 'node', 'list'],
    load: () => (require('./admin/admin-node') as typeof import('./admin/admin-node')).listNodes,
  },
  {
    words: ['admin', 'node', 'show'],
    load: () => (require('./admin/admin-node') as typeof import('./admin/admin-node')).showNode,
  },
  {
    words: ['admin', 'node', 'add'],
    load: () => (require('./admin/admin-node') as typeof import('./admin/admin-node')).addNodes,
  },
  {
    words: ['admin', 'node', 'fail'],
    load: () => (require('./admin/admin-node') as typeof import('./admin/admin-node')).failNode,
  },
  {
    words: ['admin', 'node', 'maintain'],
    load: () => (require('./admin/admin-node') as typeof import('./admin/admin-node')).maintainNode,
  },
  {
    words: ['admin', 'node', 'release'],
    load: () => (require('./admin/admin-node') as typeof import('./admin/admin-node')).releaseNode,
  },
  {
    words: ['admin', 'node', 'retire'],
    load: () => (require('./admin/admin-node') as typeof import('./admin/admin-node')).retireNode,
  },
  {
    words: ['admin', 'node', 'reprovision'],
    load: () =>
      (require('./admin/admin-node') as typeof import('./admin/admin-node')).reprovisionNode,
  },
  {
    words: ['admin', 'node', 'comment'],
    load: () => (require('./admin/admin-node') as typeof import('./admin/admin-node')).commentNode,
  },
  {
    words: ['setup-db'],
    load: () => (require('./setup-db/setup-db') as typeof import('./setup-db/setup-db')).setupDb,
  },
  {
    words: ['migration', 'db-version'],
    load: () =>
      (require('./migration/db-version') as typeof import('./migration/db-version')).dbVersion,
  },
  {
    words: ['migration', 'upgrade'],
    load: () => (require('./migration/upgrade') as typeof import('./migration/upgrade')).upgrade,
  },
  {
    words: ['migration', 'downgrade'],
    load: () =>
      (require('./migration/downgrade') as typeof import('./migration/downgrade')).downgrade,
  },
  {
    words: ['migration', 'create'],
    load: () => (require('./migration/create') as typeof import('./migration/create')).create,
  },
  {
    words: ['audit', 'verify'],
    load: () =>
      (require('./audit/audit-verify') as typeof import('./audit/audit-verify')).auditVerify,
  },
];

/** `dev` parses its own arguments (everything after the word, `-c` included). */
export const DEV_WORD = 'dev';

export function runDevCommand(argv: string[]): Promise<number> {
  return (require('./dev/run-dev') as typeof import('./dev/run-dev')).runDev(argv);
}

export function findRoute(words: string[]): Route | undefined {
  return ROUTES.find((r) => r.words.every((w, i) => words[i] === w));
}
