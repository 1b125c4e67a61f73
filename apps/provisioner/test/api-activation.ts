import type { DuffyConfig } from '@app/config';
import { isDomainError, SessionState } from '@app/domain';
import { ActivateSessionCommand, MarkNodeContextualizedCommand } from '@app/application';
import type { WiredApplication } from '../../../libs/application/src/testing/application-fixture';

/**
 * What the api does right after allocating a session (rest-api `SessionRequests.
 * activateUncontextualized`): nodes of `contextualize: false` pools are marked contextualized,
 * and a session made only of such nodes is activated, ignoring lost races. Repeated here
 * because the tests drive the application without the HTTP layer.
 */
export async function activateUncontextualized(
  app: WiredApplication,
  config: DuffyConfig,
  session: SessionState,
): Promise<void> {
  if (session.status !== 'allocated') return;
  const plain = session.nodes.filter((n) => config.pool(n.pool)?.dict.contextualize === false);
  for (const node of plain) {
    await ignoringRaces(
      app.markContextualized.execute(
        new MarkNodeContextualizedCommand(node.nodeId, session.sessionId, 'api'),
      ),
    );
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
