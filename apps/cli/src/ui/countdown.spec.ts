import { formatCountdown } from './countdown.js';

const now = new Date('2030-01-01T00:00:00Z');

describe('formatCountdown', () => {
  it.each([
    ['2030-01-01T06:00:00Z', '06:00:00'],
    ['2030-01-01T00:59:59.999Z', '00:59:59'],
    ['2030-01-01T00:00:01Z', '00:00:01'],
    ['2030-01-03T03:04:05Z', '2d 03:04:05'],
    ['2030-01-02T00:00:00Z', '1d 00:00:00'],
    ['2030-01-01T00:00:00Z', 'expired'],
    ['2029-12-31T23:00:00Z', 'expired'],
    ['2030-01-01T02:00:00.123456Z', '02:00:00'],
  ])('shows %s as %s', (expiresAt, text) => {
    expect(formatCountdown(expiresAt, now)).toBe(text);
  });

  it('says never for a session without expiry and unknown for a date it cannot read', () => {
    expect(formatCountdown(null, now)).toBe('never');
    expect(formatCountdown('soon', now)).toBe('unknown');
  });
});
