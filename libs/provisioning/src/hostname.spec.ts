import { hostnameOf } from './hostname';

describe('hostnameOf', () => {
  it("keeps the playbook's hostname", async () => {
    expect(await hostnameOf('127.1.0.2', 'node-1.example')).toBe('node-1.example');
  });

  it('asks reverse DNS without one, and falls back to the address (compat §4.7)', async () => {
    // No PTR record for this loopback address: the answer is the address itself.
    expect(await hostnameOf('127.1.3.250', '')).toBe('127.1.3.250');
    expect(await hostnameOf('not-an-address')).toBe('not-an-address');
  });
});
