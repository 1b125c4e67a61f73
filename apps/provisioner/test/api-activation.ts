import { poolWantsTenantKey, type DuffyConfig } from '@app/config';
import { isDomainError, SessionState } from '@app/domain';
import { ActivateSessionCommand } from '@app/application';
import type { WiredApplication } from '../../../libs/application/src/testing/application-fixture';

/**
 * What a session request does right after allocating (RequestSessionHandler's
 * DeployUncontextualized): nodes of `contextualize: false` pools are marked contextualized, and a
 * session made only of such nodes is activated, ignoring lost races. Repeated here so a test
 * can run it at a moment of its choosing (say, in the middle of the contextualize saga).
 */
export async function activateUncontextualized(
  app: WiredApplication,
  config: DuffyConfig,
  session: SessionState,
): Promise<void> {
  if (session.status !== 'allocated') return;
  const plain = session.nodes.filter((n) => !poolWantsTenantKey(config.pool(n.pool)));
  for (const node of plain) {
    await ignoringRaces(app.lifecycle.markContextualized(node.nodeId, session.sessionId));
  }
  if (plain.length === session.nodes.length) {
    await ignoringRaces(
      app.activateSession.execute(new ActivateSessionCommand(session.sessionId, 'api')),
    );
  }
}

async function ignoringRaces(work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (error) {
    if (!isDomainError(error)) throw error;
  }
}
