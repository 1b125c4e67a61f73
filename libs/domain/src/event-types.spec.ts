import { isNodeEventType, isSessionEventType, isTenantEventType } from './index';

describe("each aggregate's event types", () => {
  it("tell an aggregate's events from the others' and from unknown types", () => {
    expect(isNodeEventType('NodeReserved')).toBe(true);
    expect(isNodeEventType('SessionRequested')).toBe(false);
    expect(isSessionEventType('NodesAllocated')).toBe(true);
    expect(isSessionEventType('NodeReserved')).toBe(false);
    expect(isTenantEventType('TenantNodesAllotted')).toBe(true);
    expect(isTenantEventType('toString')).toBe(false); // own keys only, not the prototype's
    expect(isNodeEventType('ProvisioningRunStarted')).toBe(false);
  });
});
