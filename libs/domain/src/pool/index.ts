export * from './pool.commands';
export * from './pool.decide';
export * from './pool.decider';
export * from './pool.events';
export * from './pool.state';
