import {
  InvalidDeltaError,
  formatApiDelta,
  formatDeltaSeconds,
  isApiDelta,
  isConfigDelta,
  parseApiDelta,
  parseConfigDelta,
} from './delta';

const S = 1000;
const H = 3600 * S;
const D = 24 * H;

describe('config time deltas', () => {
  it.each<[unknown, number]>([
    ['6h', 6 * H],
    ['+3h30m', 3 * H + 30 * 60 * S],
    [' +3H30M ', 3 * H + 30 * 60 * S],
    ['1w3d', 10 * D],
    ['250ms', 250],
    ['1w 2d 3h 4m 5s 6ms', 7 * D + 2 * D + 3 * H + 4 * 60 * S + 5 * S + 6],
    ['12h', 12 * H],
    ['5m', 5 * 60 * S],
    ['0s', 0],
    [300, 300 * S],
    ['300', 300 * S],
    [600.0, 600 * S],
    [0.5, 500],
  ])('%p is %p ms', (input, ms) => {
    expect(parseConfigDelta(input)).toBe(ms);
    expect(isConfigDelta(input)).toBe(true);
  });

  it.each<unknown>(['-2d', '', '+', '-', '   ', '2x', '1h1w', '3m2h', -5, '1.5h', null, true, {}])(
    '%p is invalid',
    (input) => {
      expect(() => parseConfigDelta(input)).toThrow(InvalidDeltaError);
      expect(isConfigDelta(input)).toBe(false);
    },
  );

  it('names the bad value in the error', () => {
    expect(() => parseConfigDelta('2x')).toThrow("invalid time delta '2x'");
  });
});

describe('API time deltas', () => {
  it.each<[string, number]>([
    ['+3h30m', 3 * H + 30 * 60 * S],
    ['-2d', -2 * D],
    [' -1W3D ', -10 * D],
    ['+250ms', 250],
    ['+6h', 6 * H],
  ])('%p is %p ms', (input, ms) => {
    expect(parseApiDelta(input)).toBe(ms);
    expect(isApiDelta(input)).toBe(true);
  });

  it.each<unknown>(['1h', '300', '', '+', '-', '+2x', 300, '+-1h'])('%p is invalid', (input) => {
    expect(() => parseApiDelta(input)).toThrow(InvalidDeltaError);
    expect(isApiDelta(input)).toBe(false);
  });
});

describe('formatting', () => {
  it('serialises config deltas as integer seconds, fractional only below a second', () => {
    expect(formatDeltaSeconds(6 * H)).toBe(21600);
    expect(Number.isInteger(formatDeltaSeconds(300 * S))).toBe(true);
    expect(formatDeltaSeconds(250)).toBe(0.25);
    expect(formatDeltaSeconds(1500)).toBe(1.5);
  });

  it('serialises API deltas as signed strings', () => {
    expect(formatApiDelta(3 * H + 30 * 60 * S)).toBe('+3h30m');
    expect(formatApiDelta(-2 * D)).toBe('-2d');
    expect(formatApiDelta(10 * D + 250)).toBe('+10d250ms');
    expect(formatApiDelta(0)).toBe('+0s');
    expect(parseApiDelta(formatApiDelta(-(D + 5 * S)))).toBe(-(D + 5 * S));
  });
});
