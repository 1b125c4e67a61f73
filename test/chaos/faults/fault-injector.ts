import type { InjectedFault } from '../contract';
import { answers200, type SupervisedProcess } from '../processes/supervised-process';
import type { PlannedFault } from './fault-plan';

/** The engines' side of a fault: what the harness can stop and start besides its services. */
export interface FaultableEngines {
  killNatsNode(index: number): Promise<void>;
  startNatsNode(index: number): Promise<void>;
  /** Resolves once JetStream answers again (a meta leader, the stream's replicas caught up). */
  natsHealthy(timeoutMs: number): Promise<void>;
  /** `pg_ctlcluster … restart`: resolves once PostgreSQL accepts connections again. */
  restartPostgres(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long the injector waits for the system to be whole again before going on regardless. */
const RECOVERY_LIMIT_MS = 90_000;

/**
 * Runs a fault plan, one fault at a time: applies it, restores after its down time, then measures
 * how long until the system is whole again — every api `/ready`, the hit service ready again (for
 * the active projector: either projector active, which is the standby's takeover).
 */
export class FaultInjector {
  readonly injected: InjectedFault[] = [];
  private stopped = false;
  private finished?: Promise<void>;

  constructor(
    private readonly services: Map<string, SupervisedProcess>,
    private readonly engines: FaultableEngines,
    private readonly log: (line: string) => void,
  ) {}

  start(plan: PlannedFault[], loadStartedAt: number): void {
    this.finished = this.run(plan, loadStartedAt);
  }

  /** No new fault; resolves when the current one is restored and measured. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.finished;
  }

  private async run(plan: PlannedFault[], loadStartedAt: number): Promise<void> {
    for (const fault of plan) {
      while (!this.stopped && Date.now() - loadStartedAt < fault.atMs) await sleep(200);
      if (this.stopped) return;
      try {
        this.injected.push(await this.inject(fault));
      } catch (error) {
        this.log(`fault ${fault.kind} ${fault.target} failed: ${(error as Error).message}`);
        throw error;
      }
    }
  }

  private async inject(f: PlannedFault): Promise<InjectedFault> {
    const at = new Date().toISOString();
    const target = f.target === 'projector-active' ? await this.activeProjector() : f.target;
    this.log(`fault: ${f.kind} ${target} for ${f.downMs} ms`);
    const began = Date.now();
    let takeover: Promise<number | undefined> = Promise.resolve(undefined);
    switch (f.kind) {
      case 'kill': {
        const p = this.service(target);
        const wasActive = p.spec.kind === 'projector' && (await answers200(p.spec.readyUrl));
        await p.kill9();
        const killedAt = Date.now();
        if (wasActive) takeover = this.standbyTakesOver(target, killedAt);
        await sleep(f.downMs);
        p.restart();
        break;
      }
      case 'pause': {
        const p = this.service(target);
        p.pause();
        await sleep(f.downMs);
        p.resume();
        break;
      }
      case 'nats-node': {
        const index = Number(target.split('-')[1]) - 1;
        await this.engines.killNatsNode(index);
        await sleep(f.downMs);
        await this.engines.startNatsNode(index);
        break;
      }
      case 'postgres-restart':
        await this.engines.restartPostgres();
        break;
    }
    const restoredAt = Date.now();
    const recoveredMs = await this.recovery(f.kind, target);
    const fault: InjectedFault = { kind: f.kind, target, at, downMs: restoredAt - began };
    if (recoveredMs !== undefined) fault.recoveredMs = recoveredMs;
    const takeoverMs = await takeover;
    if (takeoverMs !== undefined) fault.takeoverMs = takeoverMs;
    this.log(
      `fault: ${f.kind} ${target} restored; whole again after ${recoveredMs ?? 'never (limit)'} ms` +
        (takeoverMs === undefined ? '' : `; the standby took over ${takeoverMs} ms after the kill`),
    );
    return fault;
  }

  /** From now until the system is whole again, ms; undefined past the limit. */
  private async recovery(kind: InjectedFault['kind'], target: string): Promise<number | undefined> {
    const started = Date.now();
    const apis = [...this.services.values()].filter((s) => s.spec.kind === 'api');
    for (;;) {
      const checks = apis.map((a) => answers200(a.spec.readyUrl));
      if (kind === 'nats-node') {
        checks.push(
          this.engines.natsHealthy(1000).then(
            () => true,
            () => false,
          ),
        );
      } else if (kind !== 'postgres-restart') {
        const hit = this.service(target);
        checks.push(
          hit.spec.kind === 'projector'
            ? this.activeProjector().then(
                () => true,
                () => false,
              )
            : answers200(hit.spec.readyUrl),
        );
      }
      if ((await Promise.all(checks)).every(Boolean)) return Date.now() - started;
      if (Date.now() - started > RECOVERY_LIMIT_MS) return undefined;
      await sleep(250);
    }
  }

  /** Ms from the kill until another projector is active; undefined past the limit. */
  private async standbyTakesOver(killed: string, killedAt: number): Promise<number | undefined> {
    const others = [...this.services.values()].filter(
      (s) => s.spec.kind === 'projector' && s.spec.name !== killed,
    );
    while (Date.now() - killedAt < RECOVERY_LIMIT_MS) {
      for (const p of others) if (await answers200(p.spec.readyUrl)) return Date.now() - killedAt;
      await sleep(100);
    }
    return undefined;
  }

  /** The projector whose status port says ready (it holds the lock); waits up to 30 s for one. */
  private async activeProjector(): Promise<string> {
    const projectors = [...this.services.values()].filter((s) => s.spec.kind === 'projector');
    const deadline = Date.now() + 30_000;
    for (;;) {
      for (const p of projectors) if (await answers200(p.spec.readyUrl)) return p.spec.name;
      if (Date.now() > deadline) throw new Error('no projector is active');
      await sleep(250);
    }
  }

  private service(name: string): SupervisedProcess {
    const s = this.services.get(name);
    if (!s) throw new Error(`no service ${name}`);
    return s;
  }
}
