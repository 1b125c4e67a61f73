export * from './event-envelope';
