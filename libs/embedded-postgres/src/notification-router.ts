import { listenChanges } from './listen-statements';
import { notificationChannel } from './wire-protocol';

type Sink = (message: Buffer) => void;

/**
 * PGlite is one backend session, so a NOTIFY comes back in the output of whichever connection
 * happened to commit it, and LISTEN state is the session's. This router remembers which client
 * connection asked for which channel and hands each NotificationResponse to exactly those.
 */
export class NotificationRouter {
  private readonly channels = new Map<number, Set<string>>();
  private readonly sinks = new Map<number, Sink>();

  /** Where notifications for a connection are written when another connection produced them. */
  register(connectionId: number, sink: Sink): void {
    this.sinks.set(connectionId, sink);
  }

  forget(connectionId: number): void {
    this.sinks.delete(connectionId);
    this.channels.delete(connectionId);
  }

  /**
   * Records the LISTEN/UNLISTEN in a statement a connection sends. Returns the channels the
   * session must LISTEN to again because this connection's UNLISTEN also unsubscribed the shared
   * session from channels other connections still want.
   */
  observe(connectionId: number, sql: string): string[] {
    const change = listenChanges(sql);
    const mine = this.channels.get(connectionId) ?? new Set<string>();
    const dropped = change.unlistenAll ? [...mine] : change.unlisten;
    for (const channel of dropped) mine.delete(channel);
    for (const channel of change.listen) mine.add(channel);
    if (mine.size) this.channels.set(connectionId, mine);
    else this.channels.delete(connectionId);
    const stillWanted = (channel: string) => this.listenersOf(channel).length > 0;
    if (change.unlistenAll) return [...this.allChannels()];
    return dropped.filter(stillWanted);
  }

  /** Delivers one NotificationResponse; the producing connection's own sink keeps its order. */
  deliver(message: Buffer, producerId: number, producerSink: Sink): void {
    for (const listener of this.listenersOf(notificationChannel(message))) {
      if (listener === producerId) producerSink(message);
      else this.sinks.get(listener)?.(message);
    }
  }

  private listenersOf(channel: string): number[] {
    return [...this.channels].filter(([, set]) => set.has(channel)).map(([id]) => id);
  }

  private allChannels(): Set<string> {
    const all = new Set<string>();
    for (const set of this.channels.values()) for (const channel of set) all.add(channel);
    return all;
  }
}
