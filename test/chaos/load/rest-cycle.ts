import { randomUUID } from 'node:crypto';
import type { SeededRandom } from '../seeded-random';
import type { LoadContext } from './load-context';
import { planRequest } from './request-plan';
import {
  callWithRetries,
  CLEANUP_RETRIES,
  refusalBackoffMs,
  RETIRE_RETRIES,
} from './retrying-call';

type Tenant = { name: string; key: string };

const SESSIONS = '/api/v1/sessions';

/** A session this client holds (or waits for), and the api that last answered about it. */
interface Held {
  id: number;
  api: string;
}

/**
 * One REST cycle of a virtual client, as a CI job does it: request a session (with an
 * Idempotency-Key, sometimes willing to wait in line); once it holds nodes, show it on the api
 * that answered and on the other one, hold it, sometimes extend it, retire it. A queued request
 * is polled until served (then the same), failed, or cancelled at its deadline or at stop.
 */
export async function restCycle(ctx: LoadContext, rng: SeededRandom): Promise<void> {
  const tenant = rng.pick(ctx.options.tenants);
  const plan = planRequest(rng, ctx.options.pools, ctx.options.queueShare);
  const auth = basicAuth(tenant);
  const body: Record<string, unknown> = { nodes_specs: plan.nodesSpecs };
  if (plan.waitSeconds !== undefined) body.wait = plan.waitSeconds;
  const created = await callWithRetries(
    ctx,
    rng,
    {
      op: plan.waitSeconds === undefined ? 'request' : 'request-queued',
      method: 'POST',
      path: SESSIONS,
      tenant: tenant.name,
      headers: { authorization: auth, 'idempotency-key': randomUUID() },
      body,
    },
    () => ctx.nextApi(),
  );
  const { status, sessionId } = created.answer;
  if (status === 201 && sessionId !== undefined) {
    await useSession(ctx, rng, tenant, { id: sessionId, api: created.answer.target });
  } else if (status === 202 && sessionId !== undefined) {
    const deadline = Date.now() + (plan.waitSeconds ?? 0) * 1000;
    const queued = { id: sessionId, api: created.answer.target };
    const served = await waitInLine(ctx, rng, tenant, queued, deadline);
    if (served) await useSession(ctx, rng, tenant, served);
  } else {
    // Refused (422 pool_exhausted / 403 quota_exceeded are normal under load) or never answered.
    await ctx.pause(refusalBackoffMs(rng));
  }
}

/** Show on both apis, hold, maybe extend, retire. */
async function useSession(
  ctx: LoadContext,
  rng: SeededRandom,
  tenant: Tenant,
  held: Held,
): Promise<void> {
  ctx.log.summary.sessionsAllocated++;
  const auth = basicAuth(tenant);
  const path = `${SESSIONS}/${held.id}`;
  const show = { method: 'GET' as const, path, tenant: tenant.name, sessionId: held.id };
  const headers = { authorization: auth };
  await callWithRetries(ctx, rng, { ...show, op: 'show', headers }, () => held.api);
  const other = ctx.otherApi(held.api);
  await callWithRetries(ctx, rng, { ...show, op: 'show-other-api', headers }, () => other);
  const [minHold, maxHold] = ctx.options.holdMs ?? [200, 3000];
  await ctx.pause(rng.int(minHold, maxHold));
  if (!ctx.stopping && rng.next() < 0.3) {
    const extended = await callWithRetries(
      ctx,
      rng,
      {
        op: 'extend',
        method: 'PUT',
        path,
        tenant: tenant.name,
        sessionId: held.id,
        headers,
        body: { expires_at: `+${rng.int(1, 3)}m` },
      },
      () => ctx.nextApi(),
    );
    if (extended.answer.status === 200) ctx.log.summary.extended++;
  }
  await retire(ctx, rng, tenant, held.id);
}

/**
 * Polls a queued session (each poll a `show`) until it holds nodes, fails or ends; cancels it
 * (PUT active false) once its deadline is well past or the load stops.
 */
async function waitInLine(
  ctx: LoadContext,
  rng: SeededRandom,
  tenant: Tenant,
  { id, api }: Held,
  deadline: number,
): Promise<Held | undefined> {
  const headers = { authorization: basicAuth(tenant) };
  const path = `${SESSIONS}/${id}`;
  for (;;) {
    await ctx.pause(rng.int(500, 1000));
    if (ctx.stopping || Date.now() > deadline + 10_000) {
      await retire(ctx, rng, tenant, id);
      return undefined;
    }
    // Asked first of the api that answered the 202 (a show), retried on the next ones.
    let tries = 0;
    const target = () => (tries++ === 0 ? api : ctx.nextApi());
    const polled = await callWithRetries(
      ctx,
      rng,
      { op: 'show', method: 'GET', path, tenant: tenant.name, sessionId: id, headers },
      target,
    );
    const { status, sessionState, nodeIds } = polled.answer;
    if (status !== 200) {
      if (status === 0 || status >= 500) continue; // the retries ran out; poll again later
      return undefined; // 403/404: nothing this client can do about it
    }
    if (sessionState === 'failed' || sessionState === 'retired') return undefined;
    if (sessionState !== 'queued' && (nodeIds?.length ?? 0) > 0) {
      return { id, api: polled.answer.target };
    }
  }
}

/**
 * PUT active false on any api. A retire begun before stop() keeps its whole budget (stopping
 * must not leave sessions behind); one begun at stop gets a short clean-up budget.
 */
async function retire(ctx: LoadContext, rng: SeededRandom, tenant: Tenant, id: number) {
  const retired = await callWithRetries(
    ctx,
    rng,
    {
      op: 'retire',
      method: 'PUT',
      path: `${SESSIONS}/${id}`,
      tenant: tenant.name,
      sessionId: id,
      headers: { authorization: basicAuth(tenant) },
      body: { active: false },
    },
    () => ctx.nextApi(),
    ctx.stopping ? CLEANUP_RETRIES : RETIRE_RETRIES,
  );
  const { status, code } = retired.answer;
  // 422 session_retired: an earlier try of this retire got through but its answer was lost.
  if (status === 200 || (status === 422 && code === 'session_retired')) ctx.log.summary.retired++;
}

export function basicAuth(t: Tenant): string {
  return `Basic ${Buffer.from(`${t.name}:${t.key}`).toString('base64')}`;
}
