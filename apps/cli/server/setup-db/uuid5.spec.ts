import { NAMESPACE_OID, uuid5 } from './uuid5';

describe('uuid5', () => {
  it("gives Python's uuid5(NAMESPACE_OID, name): the test tenants' keys (compat §2.6)", () => {
    expect(uuid5(NAMESPACE_OID, 'admin')).toBe('ae6c10d0-0b13-554c-b976-a05d8a18f0cc');
    expect(uuid5(NAMESPACE_OID, 'tenant')).toBe('a8b9899d-b128-59a1-aa86-754920b7f5ed');
  });
});
