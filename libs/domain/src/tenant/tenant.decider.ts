import { Decider } from '../decider';
import { TenantCommand } from './tenant.commands';
import { decideTenant } from './tenant.decide';
import { TenantEvent } from './tenant.events';
import { evolveTenant, initialTenantState, TenantState } from './tenant.state';

export const tenantDecider: Decider<TenantCommand, TenantEvent, TenantState> = {
  decide: decideTenant,
  evolve: evolveTenant,
  initialState: initialTenantState,
};
