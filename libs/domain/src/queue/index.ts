export * from './queue-eta';
export * from './queue-order';
