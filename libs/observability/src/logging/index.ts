export * from './redact-paths';
export * from './scrub-secrets';
export * from './service-logger';
