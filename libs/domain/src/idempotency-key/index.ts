export * from './idempotency-key.decider';
