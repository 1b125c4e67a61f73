import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { toMs } from '@app/domain';
import type { Clock } from '../ports/clock';
import type { SessionQueue } from '../ports/session-queue';
import { ReadyNodesProjection } from '../projections/ready-nodes.projection';
import { CLOCK, SESSION_QUEUE } from '../tokens';
import { QueueStandings } from './queue-standings';
import { ServeQueuedSessionCommand } from './serve-queued-session.command';

/** How often the line is looked at without news: deadlines pass without an event. */
const TICK_MS = 1000;

/**
 * Serves the queue in the api process: whenever a node becomes ready or the line changes (and
 * every second, for deadlines), it goes through the line in order (QueueStandings: the domain's
 * orderQueue) and gives each servable request its turn; requests past their deadline or of a
 * retired tenant are ended. Several api instances may do so at once: each turn is decided at the
 * revisions read, so a request is served once (ServeQueuedSessionHandler).
 */
@Injectable()
export class QueueServer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('QueueServer');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly bus: CommandBus,
    private readonly standings: QueueStandings,
    @Inject(SESSION_QUEUE) private readonly queue: SessionQueue,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() private readonly nodes?: ReadyNodesProjection,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe.push(this.queue.onChange(() => this.poke()));
    if (this.nodes) this.unsubscribe.push(this.nodes.onReady(() => this.poke()));
    this.timer = setInterval(() => this.poke(), TICK_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    for (const off of this.unsubscribe.splice(0)) off();
    await this.running;
  }

  /** Runs a pass now, or once more after the one under way. */
  poke(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.passes().finally(() => (this.running = undefined));
  }

  /** Resolves once a pass that started after this call has finished (tests, benchmarks). */
  async settle(): Promise<void> {
    await this.running;
    this.poke();
    await this.running;
  }

  private async passes(): Promise<void> {
    do {
      this.again = false;
      await this.pass();
    } while (this.again && !this.stopped);
  }

  private async pass(): Promise<void> {
    const nowMs = this.clock.now().getTime();
    for (const { request, standing } of this.standings.now()) {
      if (this.stopped) return;
      const ends = toMs(request.deadline) <= nowMs || this.queue.isTenantRetired(request.tenant);
      if (!ends && !standing.servable) continue;
      try {
        await this.bus.execute(new ServeQueuedSessionCommand(request.sessionId, { endOnly: ends }));
      } catch (error) {
        // The next pass tries again; one request's trouble must not stall the line.
        this.log.warn(`session ${request.sessionId}: ${String(error)}`);
      }
    }
  }
}
