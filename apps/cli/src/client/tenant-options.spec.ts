import { createTenantBody, updateTenantBody } from './tenant-options.js';

describe('tenant options', () => {
  it('builds a create body with quota and lifetimes, none meaning the default', () => {
    expect(
      createTenantBody('t', 'ssh-ed25519 K', {
        'is-admin': true,
        'node-quota': '3',
        'session-lifetime': '5h',
        'session-lifetime-max': 'none',
      }),
    ).toEqual({
      name: 't',
      ssh_key: 'ssh-ed25519 K',
      is_admin: true,
      node_quota: 3,
      session_lifetime: '5h',
      session_lifetime_max: null,
    });
  });

  it('sends plain seconds as a number and refuses a quota that is no integer', () => {
    expect(updateTenantBody({ 'session-lifetime': '3600', 'node-quota': 'NONE' })).toEqual({
      session_lifetime: 3600,
      node_quota: null,
    });
    expect(() => updateTenantBody({ 'node-quota': 'many' })).toThrow(
      "'many' is not a valid integer",
    );
  });

  it('needs at least one change, with the original message', () => {
    expect(() => updateTenantBody({})).toThrow(
      'Either --ssh-key, --api-key, --node-quota, --session-lifetime or --session-lifetime-max must be set.',
    );
    expect(updateTenantBody({ 'api-key': 'reset', 'ssh-key': 'k' })).toEqual({
      api_key: 'reset',
      ssh_key: 'k',
    });
  });
});
