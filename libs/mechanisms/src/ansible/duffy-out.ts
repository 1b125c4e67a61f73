/**
 * Finds the `duffy_out` fact in the report of Ansible's JSON stdout callback: the last task, in
 * run order, that set it on any host wins. Any action that sets the fact counts — `set_fact`,
 * its FQCN `ansible.builtin.set_fact` (which the original missed, W-C22) or a module's facts.
 */
export function findDuffyOut(report: unknown): unknown {
  const plays = (report as { plays?: unknown[] } | undefined)?.plays;
  if (!Array.isArray(plays)) return undefined;
  let found: unknown = undefined;
  for (const play of plays) {
    const tasks = (play as { tasks?: unknown[] }).tasks;
    if (!Array.isArray(tasks)) continue;
    for (const task of tasks) {
      const hosts = (task as { hosts?: Record<string, unknown> }).hosts ?? {};
      for (const result of Object.values(hosts)) {
        const facts = (result as { ansible_facts?: Record<string, unknown> }).ansible_facts;
        if (facts && 'duffy_out' in facts) found = facts.duffy_out;
      }
    }
  }
  return found;
}

/** The first failure message in the report, for the node's failure reason. */
export function firstFailure(report: unknown): string | undefined {
  const plays = (report as { plays?: unknown[] } | undefined)?.plays;
  if (!Array.isArray(plays)) return undefined;
  for (const play of plays) {
    for (const task of (play as { tasks?: unknown[] }).tasks ?? []) {
      const t = task as { task?: { name?: string }; hosts?: Record<string, unknown> };
      for (const [host, result] of Object.entries(t.hosts ?? {})) {
        const r = result as { failed?: boolean; unreachable?: boolean; msg?: unknown };
        if (r.failed || r.unreachable) {
          return `task '${t.task?.name ?? '?'}' on ${host}: ${String(r.msg ?? 'failed')}`;
        }
      }
    }
  }
  return undefined;
}
