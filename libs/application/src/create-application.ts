import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { ApplicationModule, type ApplicationDeps } from './application.module';
import type { ReadyNodeCandidates } from './ports/ready-node-candidates';
import { ReadyNodesProjection } from './projections/ready-nodes.projection';
import { SessionQueueProjection } from './projections/session-queue.projection';
import type { SessionQueue } from './ports/session-queue';

/** The use cases of a process that has no Nest app of its own. */
export interface Application {
  bus: CommandBus;
  /** Closes the context; the store stays open. */
  close(): Promise<void>;
}

export interface CreateApplicationOptions {
  /** Nest's log levels; silent unless told. */
  logger?: false | Array<'error' | 'warn'>;
}

/** The application facade as a Nest standalone context (provisioner, `duffy admin`, `duffy dev`). */
export async function createApplication(
  deps: ApplicationDeps,
  options: CreateApplicationOptions = {},
): Promise<Application> {
  const readyNodes = deps.readyNodes ?? onDemandReadyNodes(deps);
  const queue = deps.queue ?? onDemandQueue(deps);
  const module = ApplicationModule.register({ ...deps, readyNodes, queue });
  const context = await NestFactory.createApplicationContext(module, {
    logger: options.logger ?? false,
    abortOnError: false,
  });
  return { bus: context.get(CommandBus), close: () => context.close() };
}

/**
 * These processes rarely or never allocate (`duffy admin`, the provisioner): a live feed of every
 * node event would read the whole log at each start for nothing. This view has no live feed; it
 * catches up only when allocation finds a pool short and asks it to (refresh).
 */
function onDemandReadyNodes(deps: ApplicationDeps): ReadyNodeCandidates {
  const view = new ReadyNodesProjection(deps.store);
  // A plain object, so Nest finds no lifecycle hook that would start the feed.
  return {
    readyNodes: (pool) => view.readyNodes(pool),
    refresh: () => view.refresh(),
    observe: (nodeId, state, revision) => view.observe(nodeId, state, revision),
  };
}

/** The same for the queue: these processes serve no request, so it is read only when asked. */
function onDemandQueue(deps: ApplicationDeps): SessionQueue {
  const view = new SessionQueueProjection(deps.store);
  return {
    queued: () => view.queued(),
    isTenantRetired: (tenant) => view.isTenantRetired(tenant),
    refresh: () => view.refresh(),
    onChange: (listener) => view.onChange(listener),
  };
}
