export * from './iso-instant';
export * from './session-requests';
export * from './node-as-of';
export * from './tenant-as-of';
export * from './session-as-of';
export * from './pool-as-of';
