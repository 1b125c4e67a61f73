/** Nest injection tokens of what the command handlers need from outside. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const CLOCK = Symbol('CLOCK');
/** `Defaults` of @app/domain: node-quota and session lifetimes in ms, from config. */
export const DOMAIN_DEFAULTS = Symbol('DOMAIN_DEFAULTS');
export const POOL_CATALOG = Symbol('POOL_CATALOG');
export const READY_NODE_CANDIDATES = Symbol('READY_NODE_CANDIDATES');
/** bcrypt cost of API key hashes: 12 in production, 4 in tests. */
export const API_KEY_HASH_COST = Symbol('API_KEY_HASH_COST');
/** `ReconcilerOptions`: how old an unfinished session request must be before repair. */
export const RECONCILER_OPTIONS = Symbol('RECONCILER_OPTIONS');
/** `TenantDirectory`: tenant names by id (a session request may name its owner by id). */
export const TENANT_DIRECTORY = Symbol('TENANT_DIRECTORY');
/** `SessionQueue`: the requests waiting for nodes, in order (an in-process view of the log). */
export const SESSION_QUEUE = Symbol('SESSION_QUEUE');
