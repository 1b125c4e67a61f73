import type { AuditEvent } from './audit-event';

/**
 * One line a person reads, for every event type of the domain and the id streams; an unknown
 * type reads as its name.
 *
 * Times are UTC, without a suffix: `HH:MM` when the instant is on the same UTC day as the event
 * was recorded (`HH:MM:SS` when its seconds are not zero), else `YYYY-MM-DD HH:MM` (seconds as
 * before). Secrets never appear: an API key's hash reads `API key rotated`, an ssh key
 * `ssh key changed`.
 */
export function summarizeEvent(e: AuditEvent): string {
  const d = e.data ?? {};
  const at = (value: unknown) => instant(value, e.time);
  switch (e.type) {
    case 'SessionRequested': {
      const by = d.requestedBy && d.requestedBy !== d.tenant ? ` by ${d.requestedBy}` : '';
      const expires = d.expiresAt ? `expires ${at(d.expiresAt)}` : 'never expires';
      return `requested ${specsText(d.specs)} for ${d.tenant}${by}, ${expires}`;
    }
    case 'SessionQueued': {
      const f = (d.facts ?? {}) as Record<string, unknown>;
      const why =
        typeof f.pool === 'string'
          ? ` (pool ${f.pool}: ${f.ready} ready, ${f.requested} requested, ${f.queued_ahead} queued ahead)`
          : '';
      return `queued until ${at(d.deadline)}${why}`;
    }
    case 'NodesAllocated': {
      const nodes = (d.nodes ?? []) as { nodeId: number; pool: string }[];
      return `allocated ${count(nodes.length, 'node')}: ${nodes.map((n) => `${n.nodeId} (${n.pool})`).join(', ')}`;
    }
    case 'SessionActivated':
      return 'session active';
    case 'SessionExtended': {
      const from = d.previousExpiresAt ? at(d.previousExpiresAt) : 'never';
      const clamped =
        d.requestedExpiresAt !== undefined && d.requestedExpiresAt !== d.expiresAt
          ? ` (asked for ${at(d.requestedExpiresAt)}, clamped)`
          : '';
      return `extended expiry ${from} → ${at(d.expiresAt)}${clamped}`;
    }
    case 'SessionRetired': {
      const actor = d.actor && d.actor !== d.by ? ` ${d.actor}` : '';
      // The default reason (`retired by tenant`) says nothing the line does not.
      const reason = d.reason === `retired by ${d.by}` ? '' : reasonText(d.reason);
      return `retired by ${d.by}${actor}${reason}`;
    }
    case 'SessionFailed':
      return `session failed${reasonText(d.reason)}${d.detail ? ` (${d.detail})` : ''}`;

    case 'NodeRegistered':
      return `node ${d.nodeId} registered as ${address(d)}${d.pool ? ` in pool ${d.pool}` : ''}${d.reusable ? ', reusable' : ''}`;
    case 'NodeProvisioningStarted':
      return `node ${d.nodeId} provisioning in pool ${d.pool}`;
    case 'NodeProvisioningSucceeded':
      return `node ${d.nodeId} provisioned as ${address(d)}`;
    case 'NodeProvisioningFailed':
      return `node ${d.nodeId} provisioning failed${reasonText(d.reason)}`;
    case 'NodeReserved':
      return `node ${d.nodeId} reserved for session ${d.sessionId} (tenant ${d.tenant})`;
    case 'NodeContextualized':
      return `node ${d.nodeId} contextualized for session ${d.sessionId}`;
    case 'NodeReleased':
      return `node ${d.nodeId} released from session ${d.sessionId}${reasonText(d.reason)}`;
    case 'NodeDeprovisioningStarted': {
      const session = d.sessionId != null ? ` after session ${d.sessionId}` : '';
      return `node ${d.nodeId} deprovisioning${session}${reasonText(d.reason)}`;
    }
    case 'NodeDeprovisioned':
      return `node ${d.nodeId} deprovisioned`;
    case 'NodeFailed':
      return `node ${d.nodeId} failed${d.previous ? ` while ${d.previous}` : ''}${reasonText(d.reason)}`;
    case 'NodeRetired':
      return `node ${d.nodeId} retired${reasonText(d.reason)}`;
    case 'NodeMaintenanceStarted':
      return `node ${d.nodeId} maintenance started${reasonText(d.reason)}`;
    case 'NodeMaintenanceEnded':
      return `node ${d.nodeId} maintenance ended${reasonText(d.reason)}`;
    case 'NodeCommented':
      return `node ${d.nodeId} comment: ${oneLine(String(d.comment ?? ''))}`;

    case 'TenantCreated': {
      const roles = [d.isAdmin && 'admin', d.isAuditor && 'auditor'].filter(Boolean);
      // Limits left to the defaults say nothing at creation.
      const set = Object.fromEntries(
        ['nodeQuota', 'sessionLifetimeMs', 'sessionLifetimeMaxMs']
          .filter((k) => d[k] != null)
          .map((k) => [k, d[k]]),
      );
      const settings = [...roles, ...limitsText(set)];
      return `tenant ${d.name} created${settings.length ? ` (${settings.join(', ')})` : ''}`;
    }
    case 'TenantUpdated': {
      const changes = limitsText(d);
      if (d.sshKey !== undefined) changes.push('ssh key changed');
      if (d.isAuditor !== undefined) changes.push(d.isAuditor ? 'auditor' : 'not auditor');
      return `tenant ${d.name} updated${changes.length ? `: ${changes.join(', ')}` : ''}`;
    }
    case 'TenantApiKeyRotated':
      return `tenant ${d.name}: API key rotated`;
    case 'TenantRetired':
      return `tenant ${d.name} retired`;
    case 'TenantReactivated':
      return `tenant ${d.name} reactivated`;
    case 'TenantNodesAllotted':
      return `${count(d.count, 'node')} of ${d.name}'s quota allotted to session ${d.sessionId}`;
    case 'TenantNodesReturned':
      return `${count(d.count, 'node')} of ${d.name}'s quota returned by session ${d.sessionId}`;

    case 'PoolFillPlanned':
      return `pool ${d.pool}: fill of ${count(d.count, 'node')} planned by ${d.provisioner} (run ${d.runId})`;
    case 'PoolFillFinished':
      return `pool ${d.pool}: fill finished, ${d.succeeded} succeeded, ${d.failed} failed (run ${d.runId})`;
    case 'ProvisioningRunStarted':
      return `${d.kind} run started: ${runWhat(d)} on ${nodesText(d.nodeIds)}${sessionText(d)}`;
    case 'ProvisioningRunFinished': {
      const seconds = durationText(d.durationMs);
      const outcome = d.timedOut
        ? `timed out after ${seconds}`
        : d.exitCode != null
          ? `exit ${d.exitCode} in ${seconds}`
          : `${d.status} in ${seconds}`;
      const status = `${d.kind} ${d.status}${reasonText(d.reason)}`;
      return `${runWhat(d)} ${outcome} (${status}, ${nodesText(d.nodeIds)}${sessionText(d)})`;
    }

    case 'SessionIdempotencyKeyClaimed':
      return `idempotency key of ${d.tenant} claimed by session ${d.sessionId}`;
    case 'IdAllocated':
      return `${d.kind ?? 'an'} id ${e.revision + 1} allocated`;
  }
  return e.type;
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** A comment may run to 2000 characters over lines; its summary is the start of one line. */
const oneLine = (text: string, max = 120) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

const reasonText = (reason: unknown) => (reason ? `: ${String(reason)}` : '');

const address = (d: { hostname?: string; ipaddr?: string }) =>
  `${d.hostname ?? '?'}${d.ipaddr ? ` (${d.ipaddr})` : ''}`;

function specsText(specs: unknown): string {
  if (!Array.isArray(specs) || specs.length === 0) return 'no nodes';
  return (specs as { pool: string; quantity: number }[])
    .map((s) => `${count(s.quantity, 'node')} from ${s.pool}`)
    .join(', ');
}

const nodesText = (ids: unknown) =>
  Array.isArray(ids) && ids.length > 0
    ? `${ids.length === 1 ? 'node' : 'nodes'} ${ids.join(', ')}`
    : 'no nodes';

const sessionText = (d: { sessionId?: number | null }) =>
  d.sessionId != null ? `, session ${d.sessionId}` : '';

/**
 * The playbook when there is one (its file name: runs record it as configured when they start
 * and resolved when they finish; `data` keeps both), else the mechanism (`static`, a driver).
 */
const runWhat = (d: { playbook?: string | null; mechanism?: string }) =>
  d.playbook ? `playbook ${d.playbook.split('/').pop()}` : (d.mechanism ?? 'run');

/** `41 s`; under ten seconds with one decimal (`1.5 s`), as a person reads a short run. */
function durationText(ms: unknown): string {
  if (typeof ms !== 'number') return '? s';
  const s = ms / 1000;
  return `${s < 10 ? Number(s.toFixed(1)) : Math.round(s)} s`;
}

/** Milliseconds → `1 h`, `90 min`, `45 s`; null → `default`. */
function lifetimeText(ms: number | null): string {
  if (ms === null) return 'default';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

function limitsText(d: {
  nodeQuota?: number | null;
  sessionLifetimeMs?: number | null;
  sessionLifetimeMaxMs?: number | null;
}): string[] {
  const parts: string[] = [];
  if (d.nodeQuota !== undefined) parts.push(`node quota ${d.nodeQuota ?? 'default'}`);
  if (d.sessionLifetimeMs !== undefined)
    parts.push(`session lifetime ${lifetimeText(d.sessionLifetimeMs)}`);
  if (d.sessionLifetimeMaxMs !== undefined)
    parts.push(`maximum lifetime ${lifetimeText(d.sessionLifetimeMaxMs)}`);
  return parts;
}

/** The rule of the top comment; a value that is no instant prints as given. */
function instant(value: unknown, recorded: Date): string {
  const t = new Date(String(value));
  if (Number.isNaN(t.getTime())) return String(value);
  const iso = t.toISOString();
  const time = t.getUTCSeconds() === 0 ? iso.slice(11, 16) : iso.slice(11, 19);
  const sameDay = iso.slice(0, 10) === recorded.toISOString().slice(0, 10);
  return sameDay ? time : `${iso.slice(0, 10)} ${time}`;
}
