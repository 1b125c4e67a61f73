import { isoUtc } from './views';

describe('isoUtc', () => {
  it.each([
    ['2024-02-01 10:00:00.512', '2024-02-01T10:00:00.512000Z'],
    ['2024-01-01 00:00:00', '2024-01-01T00:00:00Z'],
    ['2024-01-01 00:00:00.000001', '2024-01-01T00:00:00.000001Z'],
    [null, null],
  ])('%s → %s (the original: microseconds only when non-zero)', (text, iso) => {
    expect(isoUtc(text)).toBe(iso);
  });
});
