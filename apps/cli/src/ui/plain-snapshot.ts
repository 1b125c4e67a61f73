import { formatCountdown } from './countdown.js';
import type { DuffyApi, PoolStatus, SessionInfo } from './duffy-api.js';
import { errorText } from './error-text.js';
import { levelBar } from './level-bar.js';
import { readyOfFill } from './pool-rows.js';
import { nodeAddress, sessionPools, sessionState } from './session-text.js';

/** What `duffy ui` prints without a terminal; `errors` says what could not be read. */
export interface Snapshot {
  text: string;
  errors: string[];
}

/**
 * Pools with their levels and the caller's sessions with their expiry, as plain lines for
 * pipes and logs. Names are not cut: nothing limits the width here.
 */
export async function plainSnapshot(api: DuffyApi, now: Date): Promise<Snapshot> {
  const errors: string[] = [];
  const lines: string[] = ['Pools'];
  try {
    const pools = await api.listPools();
    const detailed = await Promise.all(
      pools.map((p) => api.showPool(p.name).catch((): PoolStatus => p)),
    );
    lines.push(...(detailed.length ? detailed.map(poolLine) : ['  no pools']));
  } catch (e) {
    errors.push(errorText(e));
    lines.push('  (could not be read)');
  }
  lines.push('', 'My sessions');
  try {
    const sessions = [...(await api.listSessions())].sort((a, b) => a.id - b.id);
    lines.push(...(sessions.length ? sessions.flatMap((s) => sessionLines(s, now)) : ['  none']));
  } catch (e) {
    errors.push(errorText(e));
    lines.push('  (could not be read)');
  }
  return { text: `${lines.join('\n')}\n`, errors };
}

function poolLine(pool: PoolStatus): string {
  const l = pool.levels;
  const levels = l
    ? `provisioning ${l.provisioning}, contextualizing ${l.contextualizing}, deployed ${l.deployed}, deprovisioning ${l.deprovisioning}`
    : 'levels unknown';
  return `  ${pool.name}  ready ${readyOfFill(pool)} ${levelBar(l?.ready ?? 0, pool.fillLevel)}  ${levels}`;
}

function sessionLines(session: SessionInfo, now: Date): string[] {
  const expiry = session.expiresAt
    ? `expires in ${formatCountdown(session.expiresAt, now)} (${session.expiresAt})`
    : 'never expires';
  return [
    `  session ${session.id}  ${sessionPools(session)}  ${expiry}  ${sessionState(session)}`,
    ...session.nodes.map((n) => `    ${nodeAddress(n)}  ${n.pool ?? '?'}  ${n.state ?? '-'}`),
  ];
}
