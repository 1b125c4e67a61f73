import { Problem } from '../http/problem';
import { parseTenantBody } from './tenant-body';

describe('parseTenantBody (PUT /tenants, compat §1.5 T4)', () => {
  it('recognises an update body by any of the five keys, even null, ignoring active', () => {
    expect(parseTenantBody({ node_quota: null, active: false })).toEqual({
      kind: 'update',
      changes: { nodeQuota: null },
    });
    expect(parseTenantBody({ api_key: 'reset', session_lifetime: '1h' })).toEqual({
      kind: 'update',
      changes: { apiKey: 'reset', sessionLifetimeMs: 3_600_000 },
    });
    expect(parseTenantBody({ ssh_key: '' })).toEqual({ kind: 'update', changes: {} });
  });

  it('takes {"active": bool} alone as a retire body', () => {
    expect(parseTenantBody({ active: false })).toEqual({ kind: 'retire', active: false });
  });

  it.each([
    [{}, /one of ssh_key, api_key, node_quota, session_lifetime, session_lifetime_max/],
    [{ active: 'no' }, /^active: /],
    [{ api_key: 'not-a-uuid' }, /^api_key: /],
    [{ node_quota: 0 }, /^node_quota: /],
    [{ session_lifetime: 'soon' }, /^session_lifetime: /],
    [{ session_lifetime_max: 1e308 }, /^session_lifetime_max: /],
    [[], /^body: /],
    [null, /^body: /],
  ])('refuses %j with a 422 naming the field', (body, detail) => {
    let error: unknown;
    try {
      parseTenantBody(body);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Problem);
    expect((error as Problem).status).toBe(422);
    expect((error as Problem).detail).toMatch(detail);
  });
});
