import { Injectable } from '@nestjs/common';
import { QueueStandings } from '@app/application';
import type { SessionView } from '@app/read-models';

/** Adds a queued session's place in line (from the api's own view of the queue) to its answer. */
@Injectable()
export class SessionQueuePlaces {
  constructor(private readonly standings: QueueStandings) {}

  async withPlace(session: SessionView): Promise<SessionView> {
    if (session.state !== 'queued') return session;
    const place = await this.standings.of(session.id);
    if (!place) return session;
    const queue = {
      position: place.position,
      ahead_nodes: place.aheadNodes,
      eta: place.eta,
      deadline: place.deadline,
    };
    return { ...session, queue };
  }

  withPlaces(sessions: SessionView[]): Promise<SessionView[]> {
    return Promise.all(sessions.map((s) => this.withPlace(s)));
  }
}
