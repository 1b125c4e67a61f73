import { fillBackoffMs } from './provisioner-options';

describe('fillBackoffMs', () => {
  const o = { baseMs: 1000, maxMs: 5000 };

  it('doubles per failed run in a row and stays bounded (not W-C1)', () => {
    expect([0, 1, 2, 3, 4, 5, 40].map((n) => fillBackoffMs(n, o))).toEqual([
      0, 1000, 2000, 4000, 5000, 5000, 5000,
    ]);
  });
});
