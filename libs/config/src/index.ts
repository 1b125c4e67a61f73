// Public API of the configuration library (pure TS, no NestJS).
export { loadConfig, loadConfigOrThrow } from './load-config';
export type { LoadConfigOptions, LoadedConfig } from './load-config';
export {
  DuffyConfig,
  buildConfig,
  stripDriver,
  DEFAULT_APP_HOST,
  DEFAULT_APP_PORT,
  DEFAULT_METACLIENT_HOST,
  DEFAULT_METACLIENT_PORT,
  DEFAULT_SESSION_WAIT_MS,
  DEFAULT_INTERVAL_MS,
  DEFAULT_NATS_URL,
} from './config';
export type * from './model';
export {
  DEFAULT_STATUS_HOST,
  DEFAULT_STATUS_PORTS,
  DEFAULT_MAX_PROJECTION_LAG_MS,
} from './observability-config';
export { domainDefaults } from './domain-defaults';
export { poolWantsTenantKey } from './pool-contextualization';
export type { DomainDefaults } from './domain-defaults';
export { ConfigError, formatProblem } from './problems';
export type { ConfigProblem } from './problems';
export { defaultConfigPaths, expandConfigPaths, loadRawConfig } from './loader';
export { applyEnvOverrides } from './env-overrides';
export {
  InvalidDeltaError,
  parseConfigDelta,
  parseApiDelta,
  isConfigDelta,
  isApiDelta,
  formatDeltaSeconds,
  formatApiDelta,
} from './delta';
export {
  TemplateError,
  renderTemplate,
  renderTyped,
  renderExtraVars,
  renderReuseNodes,
  poolmapLookup,
  mangleHostname,
  templateError,
} from './templates';
export type { PoolmapRequest } from './templates';
export { dumpConfig, maskSecrets, MASK } from './dump';
export type { DumpOptions } from './dump';
export { MECHANISM_TYPES } from './schema/pool.schema';
export type { MechanismType } from './schema/pool.schema';
export { EVENTSTORE_TYPES } from './schema/database.schema';
export type { EventStoreType } from './schema/database.schema';
export { LOGLEVELS } from './schema/decorators';
export type { LogLevel } from './schema/decorators';
