export * from './node.commands';
export * from './node.decide';
export * from './node.decider';
export * from './node.events';
export * from './node.state';
export * from './stale-node';
