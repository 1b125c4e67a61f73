import type { SeededRandom } from '../seeded-random';
import type { LoadContext } from './load-context';
import {
  callWithRetries,
  CLEANUP_RETRIES,
  refusalBackoffMs,
  RETIRE_RETRIES,
} from './retrying-call';

type LegacyTenant = { name: string; legacyKey: string };

/**
 * One legacy cycle, as a `cico node get` job does it: /Node/get with the tenant's legacy key,
 * hold the ssid, /Node/done. The metaclient answers 200 to everything it understood, failures
 * as a JSON string (reason in X-Duffy-Reason, recorded as `code`); only no answer or a 503 is
 * retried. Its /Node/get has no idempotency key of its own: a retry after a lost answer may
 * leave a session behind, which expires (as it would for a real job).
 */
export async function legacyCycle(
  ctx: LoadContext,
  rng: SeededRandom,
  tenants: LegacyTenant[],
  metaclient: string,
): Promise<void> {
  const tenant = rng.pick(tenants);
  const ask = rng.pick(ctx.options.legacyRequests);
  const query = new URLSearchParams({ ver: ask.ver, arch: ask.arch, count: String(rng.int(1, 2)) });
  if (ask.flavor !== undefined) query.set('flavor', ask.flavor);
  const got = await callWithRetries(
    ctx,
    rng,
    {
      op: 'legacy-get',
      method: 'GET',
      path: `/Node/get?key=${encodeURIComponent(tenant.legacyKey)}&${query}`,
      shownPath: `/Node/get?${query}`, // the key is a password: never in answers.jsonl
      tenant: tenant.name,
    },
    () => metaclient,
  );
  const ssid = got.answer.status === 200 ? got.answer.sessionId : undefined;
  if (ssid === undefined) {
    await ctx.pause(refusalBackoffMs(rng));
    return;
  }
  ctx.log.summary.legacyGot++;
  const [minHold, maxHold] = ctx.options.holdMs ?? [200, 3000];
  await ctx.pause(rng.int(minHold, maxHold));
  const done = await callWithRetries(
    ctx,
    rng,
    {
      op: 'legacy-done',
      method: 'GET',
      path: `/Node/done?key=${encodeURIComponent(tenant.legacyKey)}&ssid=${ssid}`,
      shownPath: `/Node/done?ssid=${ssid}`,
      tenant: tenant.name,
      sessionId: ssid,
    },
    () => metaclient,
    ctx.stopping ? CLEANUP_RETRIES : RETIRE_RETRIES,
  );
  if (done.answer.status === 200 && done.body === 'Done') ctx.log.summary.retired++;
}
