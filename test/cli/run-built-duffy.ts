import { ALL_BUILT, assertFreshBuild } from '../support/built-output';
import { ROOT, runDuffy, type CommandRun } from '../support/duffy-dev';

export { ROOT };

export type DuffyRun = CommandRun;

/** Fails early, with the fix, when the built files the e2e specs run are missing or stale. */
export function assertBuilt(): void {
  assertFreshBuild(...ALL_BUILT);
}

/** Runs the built `duffy` executable with a HOME that has no ~/.config/duffy to pick up. */
export function duffy(...args: string[]): Promise<DuffyRun> {
  return runDuffy(args, { HOME: '/nonexistent' });
}
