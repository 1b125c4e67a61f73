export * from './legacy-handlers';
export * from './legacy-server';
export * from './metaclient-args';
export * from './timeouts';
export * from './upstream';
export * from './usermap-permissions';
