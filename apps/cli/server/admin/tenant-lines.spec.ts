import { initialTenantState } from '@app/domain';
import { showTenantLine, updateTenantLine } from './tenant-lines';

const defaults = { nodeQuota: 5, sessionLifetimeMs: 6 * 3600e3, sessionLifetimeMaxMs: 12 * 3600e3 };
const tenant = {
  ...initialTenantState(),
  exists: true,
  tenantId: 4,
  name: 'alice',
  nodeQuota: 3,
  sessionLifetimeMs: null,
  sessionLifetimeMaxMs: 86_400e3,
  createdAt: '2026-01-01T10:00:00.500Z',
};

describe('admin tenant lines', () => {
  it('show-tenant: the original field order and Python reprs', () => {
    expect(showTenantLine('alice', tenant, defaults)).toBe(
      'OK: alice: id=4 node_quota=3 effective_node_quota=3 session_lifetime=None' +
        ' effective_session_lifetime=6:00:00 session_lifetime_max=1 day, 0:00:00' +
        ' effective_session_lifetime_max=1 day, 0:00:00 active=True' +
        ' created_at=2026-01-01 10:00:00.500000 retired_at=None\n',
    );
    const retired = { ...tenant, retiredAt: '2026-01-02T00:00:00.000Z' };
    expect(showTenantLine('alice', retired, defaults)).toMatch(
      / active=False created_at=2026-01-01 10:00:00.500000 retired_at=2026-01-02 00:00:00\n$/,
    );
  });

  it('update-tenant: masks the SSH key, and the API key unless this update set it', () => {
    const line = (key: string | null) => updateTenantLine('alice', tenant, defaults, key);
    expect(line(null)).toBe(
      'OK: alice: ssh_key=********** api_key=********** node_quota=3 effective_node_quota=3' +
        ' session_lifetime=None effective_session_lifetime=6:00:00' +
        ' session_lifetime_max=1 day, 0:00:00 effective_session_lifetime_max=1 day, 0:00:00\n',
    );
    expect(line('0b0e0f00-0000-4000-8000-000000000000')).toContain(
      ' api_key=0b0e0f00-0000-4000-8000-000000000000 ',
    );
  });
});
