import { MASKED } from '../queries/views';
import { historyEntry } from './history-entry';

describe('historyEntry', () => {
  it('shows an event with its actor, correlation id and summary, the API key hash masked at any depth', () => {
    const entry = historyEntry(
      {
        position: 42,
        stream: 'tenant-alice',
        revision: 3,
        type: 'TenantCreated',
        data: {
          tenantId: 2,
          name: 'alice',
          isAdmin: false,
          sshKey: 'ssh-ed25519 AAAA',
          apiKeyHash: '$2b$10$secret',
          nested: [{ apiKeyHash: '$2b$10$other' }],
          nodeQuota: null,
          sessionLifetimeMs: null,
          sessionLifetimeMaxMs: null,
          at: '2026-03-10T14:00:00.000Z',
        },
        metadata: { actor: 'admin', correlationId: 'c-1' },
        time: new Date('2026-03-10T14:00:00.123Z'),
      },
      (name) => name === 'admin',
    );
    expect(entry).toEqual({
      position: 42,
      stream: 'tenant-alice',
      revision: 3,
      time: '2026-03-10T14:00:00.123Z',
      type: 'TenantCreated',
      actor: 'admin',
      actor_kind: 'admin',
      correlation_id: 'c-1',
      summary: 'tenant alice created',
      data: expect.objectContaining({ apiKeyHash: MASKED, nested: [{ apiKeyHash: MASKED }] }),
    });
    expect(JSON.stringify(entry)).not.toContain('$2b$');
  });

  it('an event without a correlation id or actor: null, system', () => {
    const entry = historyEntry(
      {
        position: 1,
        stream: 'id-node',
        revision: 0,
        type: 'IdAllocated',
        data: { kind: 'node' },
        metadata: {},
        time: new Date('2026-03-10T14:00:00Z'),
      },
      () => false,
    );
    expect(entry).toMatchObject({
      actor: 'system',
      actor_kind: 'system',
      correlation_id: null,
      summary: 'node id 1 allocated',
      time: '2026-03-10T14:00:00.000Z',
    });
  });
});
