import { ApiHarness } from '../testing/api-harness';

// The api harness with the default limits (10 failures per name, 30 per address, per minute);
// every request comes from 127.0.0.1, so the steps below share one address budget, in order.
describe('failed-login limits (real api, PostgreSQL)', () => {
  let h: ApiHarness;
  let failures = 0; // of 127.0.0.1 so far, to know where the address limit is

  beforeAll(async () => {
    h = await ApiHarness.start('failed_logins');
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  });

  const get = (auth: [string, string]) => h.call('GET', '/sessions', { auth });

  async function fail(auth: [string, string]): Promise<void> {
    const res = await get(auth);
    expect([res.status, res.body]).toEqual([401, { detail: 'Unauthorized', code: 'unauthorized' }]);
    failures++;
  }

  function expectThrottled(res: { status: number; body: unknown; headers: Headers }): void {
    expect(res.status).toBe(429);
    expect(res.body).toEqual({
      code: 'too_many_failed_logins',
      detail: expect.stringMatching(/^Too many failed logins; try again in \d+ s$/),
    });
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  }

  it('does not count successful logins, however many', async () => {
    for (let i = 0; i < 35; i++) {
      const t = await h.tenant(`ok${i}`);
      expect((await get(t.auth)).status).toBe(200); // first use: a full bcrypt check
    }
  }, 60_000);

  it('answers unknown names and wrong keys alike', async () => {
    const alice = await h.tenant('alice');
    const wrongKey = await get(['alice', 'wrong']);
    const unknownName = await get(['nobody', alice.auth[1]]);
    failures += 2;
    expect(unknownName.status).toBe(wrongKey.status);
    expect(unknownName.body).toEqual(wrongKey.body);
    expect(unknownName.headers.get('www-authenticate')).toBe(
      wrongKey.headers.get('www-authenticate'),
    );
  });

  it('answers 429 after 10 failures for one name, even to its right key, until the window ends', async () => {
    const bob = await h.tenant('bob');
    for (let i = 0; i < 10; i++) await fail(['bob', `wrong-${i}`]);
    expectThrottled(await get(['bob', 'wrong-again']));
    expectThrottled(await get(bob.auth)); // not checked at all: no bcrypt while blocked
    for (let i = 0; i < 9; i++) await fail(['nobody-at-all', `k${i}`]); // unknown names too
    await fail(['nobody-at-all', 'k9']);
    expectThrottled(await get(['nobody-at-all', 'k10']));
    expect((await get((await h.tenant('carol')).auth)).status).toBe(200); // other names are not
  });

  it('answers 429 after 30 failures from one address; a cached key from it still gets 200', async () => {
    const dave = await h.tenant('dave');
    expect((await get(dave.auth)).status).toBe(200); // verified once: cached
    const erin = await h.tenant('erin'); // never used yet
    for (let i = 0; failures < 30; i++) await fail([`stranger-${i}`, 'x']);
    expectThrottled(await get(['stranger-new', 'x']));
    expectThrottled(await get(erin.auth)); // a right key, but not cached: not checked
    for (let i = 0; i < 5; i++) {
      const res = await get(dave.auth);
      expect(res.status).toBe(200);
    }
    expect((await get(h.admin())).status).toBe(200);
  });
});
