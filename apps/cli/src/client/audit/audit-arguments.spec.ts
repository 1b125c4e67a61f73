import { UsageError } from '../../argv.js';
import { countOption, queryString, timeOption, timeRange } from './audit-arguments.js';
import { eventQuery } from './event-filters.js';

describe('audit arguments', () => {
  it.each(['2026-12-01T14:00:00Z', '2026-12-01T14:00:00.512+01:00', '2026-12-01 14:00:00z'])(
    'takes the RFC 3339 time %s',
    (t) => expect(timeOption({ at: t }, 'at')).toBe(t),
  );

  it.each(['2026-12-01', '14:00', '2026-12-01T14:00Z', '2026-13-01T14:00:00Z', 'now'])(
    'refuses %s, naming the flag',
    (t) => {
      expect(() => timeOption({ from: t }, 'from')).toThrow(UsageError);
      expect(() => timeOption({ from: t }, 'from')).toThrow(
        `--from: '${t}' is not an RFC 3339 time (e.g. 2026-12-01T14:00:00Z)`,
      );
    },
  );

  it('refuses a range that ends before it starts', () => {
    expect(() => timeRange({ from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' })).toThrow(
      '--from 2026-12-02T00:00:00Z is after --to 2026-12-01T00:00:00Z',
    );
    expect(timeRange({ to: '2026-12-01T00:00:00Z' })).toEqual({
      from: undefined,
      to: '2026-12-01T00:00:00Z',
    });
  });

  it('reads counts and refuses what is not one', () => {
    expect(countOption({ after: '0' }, 'after', 0)).toBe(0);
    expect(countOption({}, 'after', 0)).toBeUndefined();
    expect(() => countOption({ limit: '0' }, 'limit', 1)).toThrow(
      "--limit: '0' is not a whole number of at least 1",
    );
    expect(() => countOption({ after: '-3' }, 'after', 0)).toThrow('--after');
  });

  it('builds the query of the defined values, encoded', () => {
    expect(queryString({})).toBe('');
    expect(queryString({ a: undefined, at: '2026-12-01T14:00:00+01:00', n: 3 })).toBe(
      '?at=2026-12-01T14%3A00%3A00%2B01%3A00&n=3',
    );
  });

  it('maps the event filters to the contract’s parameter names', () => {
    expect(
      eventQuery(
        {
          stream: 'session-12',
          'stream-prefix': 'node-',
          type: 'SessionExtended,SessionRetired',
          tenant: 'alice',
          node: '3',
          'correlation-id': 'c-1',
          to: '2026-12-02T00:00:00Z',
          after: '10',
          limit: '50',
        },
        '2026-12-01T00:00:00Z',
      ),
    ).toEqual({
      after: 10,
      limit: 50,
      stream: 'session-12',
      stream_prefix: 'node-',
      type: 'SessionExtended,SessionRetired',
      tenant: 'alice',
      node: '3',
      correlation_id: 'c-1',
      from: '2026-12-01T00:00:00Z',
      to: '2026-12-02T00:00:00Z',
    });
    expect(() => eventQuery({ type: 'A,,B' }, undefined)).toThrow('--type');
  });
});
