export * from './session.commands';
export * from './session.decide';
export * from './session.decider';
export * from './session.events';
export * from './session.expiry';
export * from './session.state';
