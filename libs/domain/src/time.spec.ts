import { DomainError } from './domain-error';
import { toIso, toMs } from './time';

describe('time', () => {
  it('converts offsets instead of dropping them (W-C4) and reads zone-less times as UTC', () => {
    expect(toIso(toMs('2024-02-01T10:00:00+02:00'))).toBe('2024-02-01T08:00:00.000Z');
    expect(toIso(toMs('2024-02-01T10:00:00'))).toBe('2024-02-01T10:00:00.000Z');
  });

  it('refuses instants a Date cannot hold with a DomainError, not a RangeError', () => {
    expect(() => toIso(9e15)).toThrow(DomainError);
    expect(() => toIso(9e15)).toThrow('time out of range');
    expect(() => toMs('not a time')).toThrow(DomainError);
  });
});
