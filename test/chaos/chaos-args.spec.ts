import { parseChaosArgs } from './chaos-args';

describe('parseChaosArgs', () => {
  it('takes minutes, seed, out and keep; the seed is random unless given', () => {
    expect(parseChaosArgs([], () => 42)).toEqual({ minutes: 3, seed: 42, keep: false });
    expect(
      parseChaosArgs(['--minutes', '2.5', '--seed', '7', '--out', '/tmp/x', '--keep'], () => 1),
    ).toEqual({
      minutes: 2.5,
      seed: 7,
      out: '/tmp/x',
      keep: true,
    });
  });

  it('refuses what it cannot use, naming the argument', () => {
    expect(() => parseChaosArgs(['--minutes', '0'], () => 1)).toThrow('--minutes');
    expect(() => parseChaosArgs(['--seed', 'x'], () => 1)).toThrow('--seed');
    expect(() => parseChaosArgs(['--seed'], () => 1)).toThrow('--seed needs a value');
    expect(() => parseChaosArgs(['--fast'], () => 1)).toThrow('unknown argument --fast');
  });
});
