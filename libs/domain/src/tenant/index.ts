export * from './tenant.commands';
export * from './tenant.decide';
export * from './tenant.decider';
export * from './tenant.events';
export * from './tenant.limits';
export * from './tenant.state';
