import { reasonOf } from './reasons';

describe('reasonOf (W-L2)', () => {
  it.each([
    [403, 'quota_exceeded', 'quota_exceeded'],
    [422, 'pool_exhausted', 'pool_exhausted'],
    [401, 'unauthorized', 'auth'],
    [401, 'not_authenticated', 'auth'],
    [403, undefined, 'auth'],
    [502, undefined, 'upstream_502'],
  ])('%s %s -> %s', (status, code, reason) => {
    expect(reasonOf(status, code)).toBe(reason);
  });
});
