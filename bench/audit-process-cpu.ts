import { readFileSync } from 'node:fs';

/** USER_HZ of /proc/<pid>/stat: 100 on Linux x86-64 and arm64. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, ms) a process has used, from /proc (Linux; NaN elsewhere): on a
 * shared 2-core machine the api's own CPU per request says more than its latency.
 */
export function processCpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** CPU time (ms) of this process, the load generator. */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
