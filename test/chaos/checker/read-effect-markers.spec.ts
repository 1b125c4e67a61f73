import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEffectMarkers } from './read-effect-markers';

describe('readEffectMarkers', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'markers-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads one marker per line of DIR/<nodeId>.log, a line cut short apart', async () => {
    writeFileSync(
      join(dir, '7.log'),
      'provision 2026-12-03T10:00:01.123Z 5f0c-corr\ndeprovision 2026-12-03T10:02:00.000Z -\ndeprov',
    );
    writeFileSync(join(dir, '12.log'), 'provision 2026-12-03T10:00:02.000Z -\n');
    writeFileSync(join(dir, 'notes.txt'), 'provision 2026-12-03T10:00:02.000Z -\n');
    expect(await readEffectMarkers(dir)).toEqual({
      markers: [
        { kind: 'provision', nodeId: 12, at: '2026-12-03T10:00:02.000Z' },
        {
          kind: 'provision',
          nodeId: 7,
          at: '2026-12-03T10:00:01.123Z',
          correlationId: '5f0c-corr',
        },
        { kind: 'deprovision', nodeId: 7, at: '2026-12-03T10:02:00.000Z' },
      ],
      unreadable: ['7.log: deprov'],
    });
  });

  it('finds no marker in a folder no playbook wrote to', async () => {
    expect(await readEffectMarkers(join(dir, 'missing'))).toEqual({ markers: [], unreadable: [] });
  });
});
