import { ChangeNodeCommand } from '@app/application';
import type { NodeCommand, NodeState } from '@app/domain';
import type { ApiHarness, Json } from './api-harness';

/**
 * The audit specs' scenes: no provisioner runs in the harness, so these move nodes as it would
 * (actor `provisioner`), and page the log as a client does.
 */

type Choose = (state: NodeState, now: string) => NodeCommand | null;

const step = (h: ApiHarness, nodeId: number, choose: Choose) =>
  h.bus().execute(new ChangeNodeCommand(nodeId, choose, 'provisioner'));

/** A reusable node, provisioned ready in the pool: it goes back to `unused` when cleaned. */
export async function reusableReadyNode(
  h: ApiHarness,
  pool: string,
  ipaddr: string,
): Promise<{ id: number; hostname: string }> {
  const nodeId = await h.store.nextId('node');
  const hostname = `reused${nodeId}.test`;
  await step(h, nodeId, (_, now) => ({
    type: 'StartProvisioning',
    data: { nodeId, pool, reusable: true, now },
  }));
  await step(h, nodeId, (_, now) => ({
    type: 'CompleteProvisioning',
    data: { hostname, ipaddr, provision: { ipaddr }, now },
  }));
  await h.caughtUp();
  return { id: nodeId, hostname };
}

/** What the retire saga does after a session ends: deprovision (reusable → unused, else done). */
export async function deprovision(h: ApiHarness, nodeId: number): Promise<void> {
  await step(h, nodeId, (_, now) => ({
    type: 'StartDeprovisioning',
    data: { reason: 'session retired', now },
  }));
  await step(h, nodeId, (_, now) => ({ type: 'CompleteDeprovisioning', data: { now } }));
}

/** A cleaned reusable node provisioned again into the pool, with the same name and address. */
export async function reprovision(
  h: ApiHarness,
  node: { id: number; hostname: string },
  pool: string,
  ipaddr: string,
): Promise<void> {
  await step(h, node.id, (_, now) => ({
    type: 'StartProvisioning',
    data: { nodeId: node.id, pool, now },
  }));
  await step(h, node.id, (_, now) => ({
    type: 'CompleteProvisioning',
    data: { hostname: node.hostname, ipaddr, provision: { ipaddr }, now },
  }));
}

export async function retireNode(h: ApiHarness, nodeId: number, reason: string): Promise<void> {
  await step(h, nodeId, (_, now) => ({ type: 'RetireNode', data: { reason, now } }));
}

/** A session of one node of the pool, active at once (`plain-*` pools); its id and node. */
export async function oneNodeSession(
  h: ApiHarness,
  auth: [string, string],
  pool: string,
): Promise<{ id: number; nodeId: number }> {
  const res = await h.call('POST', '/sessions', {
    auth,
    body: { nodes_specs: [{ pool, quantity: 1 }] },
  });
  if (res.status !== 201) throw new Error(`session: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.session.id, nodeId: res.body.session.nodes[0].id };
}

export async function retireSession(
  h: ApiHarness,
  auth: [string, string],
  id: number,
): Promise<void> {
  const res = await h.call('PUT', `/sessions/${id}`, { auth, body: { active: false } });
  if (res.status !== 200)
    throw new Error(`retire ${id}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Every page of `GET /events?<query>` from the start, following `next_after` to the end. */
export async function pageThroughEvents(
  h: ApiHarness,
  auth: [string, string],
  query: string,
  limit = 1000,
): Promise<Json[]> {
  const events: Json[] = [];
  let after = 0;
  for (;;) {
    const sep = query === '' ? '' : '&';
    const res = await h.call('GET', `/events?${query}${sep}after=${after}&limit=${limit}`, {
      auth,
    });
    if (res.status !== 200) throw new Error(`events: ${res.status} ${JSON.stringify(res.body)}`);
    events.push(...res.body.events);
    if (res.body.events.length < limit) return events;
    after = res.body.next_after;
  }
}

/** The instant now as RFC 3339, a little apart from the events around it. */
export async function instantBetweenEvents(): Promise<string> {
  await new Promise((r) => setTimeout(r, 15));
  const at = new Date().toISOString();
  await new Promise((r) => setTimeout(r, 15));
  return at;
}

/** `GET /events?<query>` as ndjson, read as text (h.call would parse a single line as JSON). */
export async function exportNdjson(
  h: ApiHarness,
  auth: [string, string],
  query: string,
): Promise<{ status: number; contentType: string | null; text: string; lines: Json[] }> {
  const res = await fetch(`${h.base}/events?${query}`, {
    headers: {
      accept: 'application/x-ndjson',
      authorization: `Basic ${Buffer.from(auth.join(':')).toString('base64')}`,
    },
  });
  const text = await res.text();
  const lines =
    res.status === 200
      ? text
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as Json)
      : [];
  return { status: res.status, contentType: res.headers.get('content-type'), text, lines };
}
