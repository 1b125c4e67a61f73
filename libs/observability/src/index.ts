// Public API of the observability library (a leaf: prom-client, pino, node built-ins only).
export * from './status';
export * from './correlation';
export * from './logging';
export * from './metrics';
