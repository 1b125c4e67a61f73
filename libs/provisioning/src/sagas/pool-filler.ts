import { randomUUID } from 'node:crypto';
import type { NodePool } from '@app/config';
import { renderReuseNodes } from '@app/config';
import type { CommandBus } from '@nestjs/cqrs';
import { isReusableIdle, PoolState, toMs } from '@app/domain';
import { WrongExpectedVersionError } from '@app/event-store';
import type { EventStore } from '@app/event-store';
import { Clock, FinishPoolFillCommand, PlanPoolFillCommand } from '@app/application';
import { Mechanism, MechanismFailure, MechanismRegistry } from '@app/mechanisms';
import { NodeSteps } from '../node-steps';
import { fillBackoffMs, ProvisionerOptions } from '../provisioner-options';
import { NodeView, ProvisionerView } from '../provisioner-view';
import { RunRecorder } from '../run-recorder';
import { NodeProvisioner } from './node-provisioner';

export interface PoolFillerDeps {
  /** Hands out node ids; every write goes through the bus. */
  store: EventStore;
  bus: CommandBus;
  clock: Clock;
  view: ProvisionerView;
  pools: () => NodePool[];
  mechanisms: MechanismRegistry;
  recorder: RunRecorder;
  options: ProvisionerOptions;
  log: (message: string) => void;
}

/**
 * The fill saga: claims a pool's deficit on the pool stream (the pool decider never lets two
 * claims cover the same missing nodes), starts provisioning that many nodes — reused `unused`
 * machines for `reuse-nodes` pools, fresh placeholders otherwise — runs the mechanism (one run
 * per node with `run-parallel`, else one for all), and closes the claim with its tally.
 */
export class PoolFiller {
  private readonly steps: NodeSteps;
  private readonly provisioner: NodeProvisioner;
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly d: PoolFillerDeps) {
    this.steps = new NodeSteps(d.bus);
    this.provisioner = new NodeProvisioner(d.view, d.mechanisms, d.recorder, this.steps);
  }

  async fillAll(): Promise<void> {
    const results = await Promise.allSettled(this.d.pools().map((p) => this.fill(p)));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.retryTimers.values()) clearTimeout(t);
    this.retryTimers.clear();
  }

  async fill(pool: NodePool): Promise<void> {
    if (this.stopped || pool.fillLevel === undefined) return;
    await this.d.view.refresh();
    const wait = this.backoffLeft(pool.name);
    if (wait > 0) return this.retryLater(pool, wait);
    const planned = await this.plan(pool);
    if (!planned) return;
    const { runId, count } = planned;
    this.d.log(`[${pool.name}] fill run ${runId}: ${count} node(s)`);
    const nodes = await this.claimNodes(pool, count);
    let succeeded = 0;
    let failed = 0;
    const groups = pool.runParallel ? nodes.map((n) => [n]) : nodes.length ? [nodes] : [];
    const handedOut = new Set<string>();
    await Promise.all(
      groups.map(async (group) => {
        const tally = await this.provisioner.provision(pool, group, runId, handedOut);
        succeeded += tally.succeeded;
        failed += tally.failed;
      }),
    );
    await this.finish(pool, runId, succeeded, failed);
    if (failed > 0 && succeeded === 0) {
      await this.d.view.refresh();
      this.retryLater(pool, Math.max(0, this.backoffLeft(pool.name)));
    }
  }

  private backoffLeft(pool: string): number {
    const { failureStreak, lastFinishedMs } = this.d.view.fillHistory(pool);
    const delay = fillBackoffMs(failureStreak, this.d.options.fillBackoff);
    return lastFinishedMs + delay - this.d.clock.now().getTime();
  }

  /** One timer per pool and instance; the decider makes concurrent retries harmless. */
  private retryLater(pool: NodePool, ms: number): void {
    if (this.stopped || this.retryTimers.has(pool.name)) return;
    const timer = setTimeout(() => {
      this.retryTimers.delete(pool.name);
      this.fill(pool).catch((e) => this.d.log(`[${pool.name}] retry failed: ${String(e)}`));
    }, ms);
    timer.unref();
    this.retryTimers.set(pool.name, timer);
  }

  /**
   * Claims the deficit through the pool decider. The ready count is taken inside the claim's
   * attempt, after the view caught up to the pool stream's head, so a run that finishes
   * meanwhile makes the append fail and the count is redone.
   */
  private async plan(pool: NodePool): Promise<{ runId: string; count: number } | null> {
    const runId = randomUUID();
    const { instance, timeouts } = this.d.options;
    const command = new PlanPoolFillCommand(
      pool.name,
      runId,
      instance,
      timeouts.provisioningMs,
      async (state, position, now) => {
        // Nodes made ready by a finished run precede its PoolFillFinished in the log.
        await this.d.view.catchUpTo(position);
        const wait = this.backoffLeft(pool.name);
        if (wait > 0) {
          this.retryLater(pool, wait);
          return null;
        }
        const ready = this.d.view.readyCount(pool.name);
        return { ready, fillLevel: this.reachableLevel(pool, state, ready, now) };
      },
    );
    try {
      const count = await this.d.bus.execute(command);
      return count > 0 ? { runId, count } : null;
    } catch (error) {
      // Other instances kept winning the pool stream: their claims cover the deficit, and
      // the next trigger counts again.
      if (error instanceof WrongExpectedVersionError) return null;
      throw error;
    }
  }

  /**
   * A reuse pool can only reach what its matching `unused` machines allow, and a pool with a
   * fixed set of machines (`static`) what its free hosts allow: claiming more would fail the
   * difference on every run (static) or hold it until the run ends, delaying the next machine
   * that comes back (reuse).
   */
  private reachableLevel(pool: NodePool, state: PoolState, ready: number, now: string): number {
    // While requests wait, the pool fills for them too (docs/provisioning.md "Filling for the queue").
    const level = (pool.fillLevel ?? 0) + this.d.view.queuedDemand(pool.name);
    const claimed = Object.values(state.openRuns)
      .filter((r) => toMs(now) - toMs(r.plannedAt) < this.d.options.timeouts.provisioningMs)
      .reduce((sum, r) => sum + r.count, 0);
    const selectors = renderReuseNodes(pool);
    if (selectors) {
      const available = this.d.view.unusedReusable().filter((n) => matches(n, selectors)).length;
      return Math.min(level, ready + claimed + available);
    }
    const free = this.capacityLeft(pool);
    if (free === undefined) return level;
    // Open claims take free hosts as their nodes get them; only the rest can be claimed anew.
    return Math.min(level, ready + claimed + Math.max(0, free - claimed));
  }

  /** Free machines of a pool whose mechanism has a fixed set; undefined when made on demand. */
  private capacityLeft(pool: NodePool): number | undefined {
    let mechanism: Mechanism;
    try {
      mechanism = this.d.mechanisms.for(pool);
    } catch (error) {
      if (error instanceof MechanismFailure) return undefined; // the run records why
      throw error;
    }
    return mechanism.capacityLeft?.(pool, this.d.view.addressesHeld(pool.name));
  }

  private async finish(pool: NodePool, runId: string, succeeded: number, failed: number) {
    await this.d.bus.execute(new FinishPoolFillCommand(pool.name, runId, succeeded, failed));
  }

  private async claimNodes(pool: NodePool, count: number): Promise<NodeView[]> {
    const ids: number[] = [];
    const selectors = renderReuseNodes(pool);
    if (selectors) {
      // compat: reuse pools only take matching unused machines; none left = under-filled.
      for (const candidate of this.d.view.unusedReusable()) {
        if (ids.length >= count) break;
        if (!matches(candidate, selectors)) continue;
        const nodeId = candidate.state.nodeId;
        const started = await this.steps.run(nodeId, (s, now) =>
          isReusableIdle(s)
            ? { type: 'StartProvisioning', data: { nodeId, pool: pool.name, now } }
            : null,
        );
        if (started) ids.push(nodeId);
      }
      if (ids.length < count) {
        this.d.log(`[${pool.name}] only ${ids.length} of ${count} reusable node(s) available`);
      }
    } else {
      for (let i = 0; i < count; i++) {
        const nodeId = await this.d.store.nextId('node');
        await this.steps.run(nodeId, (s, now) =>
          s.status === 'absent'
            ? { type: 'StartProvisioning', data: { nodeId, pool: pool.name, reusable: false, now } }
            : null,
        );
        ids.push(nodeId);
      }
    }
    const nodes = await Promise.all(ids.map((id) => this.d.view.loadNode(id)));
    return nodes.filter((n): n is NodeView => n?.state.status === 'provisioning');
  }
}

/** compat §4.2: strings compare as text, integers as integers (booleans never match, W-C19). */
function matches(node: NodeView, selectors: Record<string, string | number>): boolean {
  const data = { ...node.data, ...(node.provision ?? {}) };
  return Object.entries(selectors).every(([key, want]) => {
    const have = data[key];
    if (typeof want === 'number')
      return typeof have === 'number'
        ? have === want
        : Number(have) === want && typeof have === 'string' && have.trim() !== '';
    return typeof have === 'string'
      ? have === want
      : typeof have === 'number' && String(have) === want;
  });
}
