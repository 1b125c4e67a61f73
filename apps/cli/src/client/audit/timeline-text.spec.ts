import { SESSION_TIMELINE } from './testing/history-entries.js';
import { holdersText, timelineText, timelineTime } from './timeline-text.js';

describe('audit timeline text', () => {
  it('prints one aligned line per event: time (UTC), stream, actor (kind), summary', () => {
    expect(timelineText(SESSION_TIMELINE, 120)).toBe(
      [
        'TIME (UTC)           STREAM               ACTOR           SUMMARY',
        '2026-12-01 14:00:01  session-12           alice (tenant)  requested 1 node from pool-a',
        '2026-12-01 14:00:02  node-3               system          node 3 reserved for session 12',
        '2026-12-01 14:00:03  provisioning-run-41  provisioner     playbook contextualize.yml exit 0 in 41 s',
        '2026-12-01 14:00:04  session-12           alice (tenant)  extended expiry 14:00Z → 18:00Z (asked for 20:00Z, clamped)',
        '2026-12-01 14:00:05  session-12           expiry          expired',
        '',
      ].join('\n'),
    );
  });

  it('fits 80 columns: stream and actor shrink first, the summary is cut last', () => {
    const lines = timelineText(SESSION_TIMELINE, 60).trimEnd().split('\n');
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(60);
    expect(lines[3]).toBe('2026-12-01 14:00:03  prov…-41  provisi…  playbook contextua…');
    const wide = timelineText(SESSION_TIMELINE, 80).trimEnd().split('\n');
    for (const line of wide) expect([...line].length).toBeLessThanOrEqual(80);
    expect(wide[4]).toMatch(/^2026-12-01 14:00:04 {2}session-12 +ali… \(tenant\) +extended expiry/);
    expect(wide[4].endsWith('…')).toBe(true);
  });

  it('cuts nothing without a width, and says so when there are no events', () => {
    expect(timelineText(SESSION_TIMELINE).split('\n')[4]).toContain('(asked for 20:00Z, clamped)');
    expect(timelineText([], 80)).toBe('no events\n');
  });

  it('shows times in UTC whatever offset they came with, and bad times as they are', () => {
    expect(timelineTime('2026-12-01T15:30:00+01:00')).toBe('2026-12-01 14:30:00');
    expect(timelineTime('yesterday')).toBe('yesterday');
  });

  it('prints who held a node, with the key last and "still held" for an open interval', () => {
    const text = holdersText([
      {
        node_id: 3,
        hostname: 'n3.pool-a.example.test',
        session_id: 12,
        tenant: 'alice',
        ssh_key: 'ssh-ed25519 AAAAC3Nza alice@example.test',
        from: '2026-12-01T14:00:00Z',
        to: '2026-12-01T16:00:00Z',
      },
      {
        node_id: 3,
        hostname: null,
        session_id: 13,
        tenant: 'bob',
        ssh_key: null,
        from: '2026-12-01T16:05:00Z',
        to: null,
      },
    ]);
    expect(text).toBe(
      [
        'n3.pool-a.example.test (node 3):',
        'SESSION  TENANT  FROM (UTC)           TO (UTC)             SSH KEY',
        '12       alice   2026-12-01 14:00:00  2026-12-01 16:00:00  ssh-ed25519 AAAAC3Nza alice@example.test',
        '13       bob     2026-12-01 16:05:00  still held           -',
        '',
      ].join('\n'),
    );
    // In 80 columns the key is cut in its middle: its type and the end of its comment stay.
    expect(text.split('\n').length).toBe(5);
    expect(
      holdersText(
        [
          {
            node_id: 3,
            hostname: null,
            session_id: 12,
            tenant: 'alice',
            ssh_key:
              'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq0123456789abcdefghijk alice@example.test',
            from: '2026-12-01T14:00:00Z',
            to: null,
          },
        ],
        80,
      ).split('\n')[2],
    ).toBe('12       alice   2026-12-01 14:00:00  still held           ssh-ed2551…ample.test');
    expect(holdersText([])).toBe('no session held this node then\n');
  });
});
