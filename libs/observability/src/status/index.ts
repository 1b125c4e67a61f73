export * from './readiness-check';
export * from './dependency-checks';
export * from './status-server';
