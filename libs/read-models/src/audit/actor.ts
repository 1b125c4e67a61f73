import type { ActorKind } from '@app/contracts';

/** What the `duffy admin` commands write (apps/cli/server/admin/admin-context.ts). */
const ADMIN_CLI = 'admin-cli';

/**
 * Who did it, from metadata `actor`: a tenant's name (the admin tenant's when an admin acted),
 * `provisioner`, `system:expiry`, `system:reconciler`, another `system:*`, `admin-cli` (the
 * `duffy admin` commands, run by whoever holds the database), or nothing (events written before
 * metadata named the actor).
 */
export function actorOf(
  metadata: Record<string, unknown>,
  isAdminTenant: (name: string) => boolean,
): { actor: string; actor_kind: ActorKind } {
  const actor = metadata.actor;
  if (typeof actor !== 'string' || actor === '') return { actor: 'system', actor_kind: 'system' };
  if (actor === 'system:expiry') return { actor: 'expiry', actor_kind: 'expiry' };
  if (actor === 'system:reconciler') return { actor: 'reconciler', actor_kind: 'reconciler' };
  // The api's QueueServer, serving or ending a queued request.
  if (actor === 'system:queue') return { actor: 'queue', actor_kind: 'system' };
  if (actor === 'provisioner') return { actor: 'provisioner', actor_kind: 'provisioner' };
  if (actor.startsWith('system:')) return { actor: 'system', actor_kind: 'system' };
  if (actor === ADMIN_CLI) return { actor, actor_kind: 'admin' };
  return { actor, actor_kind: isAdminTenant(actor) ? 'admin' : 'tenant' };
}
