import { isoUtc } from '../../queries/views';
import { isoInstant } from './iso-instant';

describe('isoInstant', () => {
  it.each([
    ['2024-02-01T10:00:00.512Z', '2024-02-01T10:00:00.512000Z'],
    ['2024-02-01T10:00:00.000Z', '2024-02-01T10:00:00Z'],
    ['2024-02-01T12:00:00.000001+02:00', '2024-02-01T10:00:00.000001Z'],
    [null, null],
  ])('%s → %s, as isoUtc prints the timestamp PostgreSQL stores', (at, iso) => {
    expect(isoInstant(at)).toBe(iso);
  });

  it('agrees with isoUtc of the naive UTC text', () => {
    expect(isoInstant('2025-01-01T00:00:01.250Z')).toBe(isoUtc('2025-01-01 00:00:01.25'));
  });
});
