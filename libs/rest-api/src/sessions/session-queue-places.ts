import { Injectable } from '@nestjs/common';
import { QueueStandings } from '@app/application';
import type { SessionView } from '@app/read-models';

/** Adds a queued session's place in line (from the api's own view of the queue) to its answer. */
@Injectable()
export class SessionQueuePlaces {
  constructor(private readonly standings: QueueStandings) {}

  async withPlace(session: SessionView): Promise<SessionView> {
    return (await this.withPlaces([session]))[0];
  }

  /** One pass over the line for all of them, however many are queued. */
  async withPlaces(sessions: SessionView[]): Promise<SessionView[]> {
    const queued = sessions.filter((s) => s.state === 'queued').map((s) => s.id);
    if (queued.length === 0) return sessions;
    const places = await this.standings.placesOf(queued);
    return sessions.map((session) => {
      const place = places.get(session.id);
      if (!place) return session;
      const queue = {
        position: place.position,
        ahead_nodes: place.aheadNodes,
        eta: place.eta,
        deadline: place.deadline,
      };
      return { ...session, queue };
    });
  }
}
