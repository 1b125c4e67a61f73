export { EmbeddedPostgres } from './embedded-postgres';
export type { EmbeddedPostgresOptions } from './embedded-postgres';
export { SessionOwnershipQueue } from './session-ownership-queue';
export { NotificationRouter } from './notification-router';
