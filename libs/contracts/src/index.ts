// The wire: REST v1 shapes (DTO classes with their validation and OpenAPI decorators, plain
// answer types), the legacy API's answers, and the events as published on NATS. Clients that
// must not load decorators import `rest/bodies` with `import type`.
export * from './rest';
export type * from './legacy';
export * from './events';
