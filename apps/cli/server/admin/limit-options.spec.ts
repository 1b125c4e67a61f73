import { ServerUsageError } from '../usage-error';
import { parseLimitOptions } from './limit-options';
import { tenantChanges } from './update-tenant';

describe('admin quota and lifetime options', () => {
  it('reads integers, deltas and none/null', () => {
    expect(
      parseLimitOptions({
        'node-quota': ' 7 ',
        'session-lifetime': '5h',
        'session-lifetime-max': '3600',
      }),
    ).toEqual({ nodeQuota: 7, sessionLifetimeMs: 5 * 3600e3, sessionLifetimeMaxMs: 3600e3 });
    expect(parseLimitOptions({ 'node-quota': 'None', 'session-lifetime': 'null' })).toEqual({
      nodeQuota: null,
      sessionLifetimeMs: null,
    });
    expect(parseLimitOptions({})).toEqual({});
  });

  it.each([
    [{ 'node-quota': 'x' }, "Invalid value for '--node-quota': 'x' is not a valid integer"],
    [{ 'node-quota': '1.5' }, "Invalid value for '--node-quota': '1.5' is not a valid integer"],
    [
      { 'session-lifetime': '-2d' },
      "Invalid value for '--session-lifetime': invalid timedelta format",
    ],
    [
      { 'session-lifetime-max': 'soon' },
      "Invalid value for '--session-lifetime-max': invalid timedelta format",
    ],
  ])('refuses %p as click does (usage error, exit 2)', (options, message) => {
    expect(() => parseLimitOptions(options)).toThrow(new ServerUsageError(message));
    try {
      parseLimitOptions(options);
    } catch (e) {
      expect((e as ServerUsageError).exitCode).toBe(2);
    }
  });

  it('update-tenant: empty keys are not given; the API key is a UUID or reset', () => {
    expect(tenantChanges({ 'ssh-key': '', 'api-key': '' })).toEqual({});
    expect(tenantChanges({ 'api-key': 'reset', 'ssh-key': 'k' })).toEqual({
      apiKey: 'reset',
      sshKey: 'k',
    });
    expect(() => tenantChanges({ 'api-key': 'secret' })).toThrow(
      "Invalid value for '--api-key': 'secret' is neither a UUID nor 'reset'",
    );
  });
});
