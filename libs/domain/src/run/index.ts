export * from './run.commands';
export * from './run.decide';
export * from './run.decider';
export * from './run.events';
export * from './run.state';
