export * from './audit-event';
export * from './actor';
export * from './summarize-event';
export * from './history-entry';
export * from './node-holdings';
export * from './session-timeline';
export * from './as-of';
