// `metaclient`: the legacy Duffy v2 API in front of REST v1 (compat §6).
import { isMapping } from '../merge';
import {
  Check,
  LOGLEVELS,
  LoggingConfig,
  Nested,
  NonEmptyStr,
  OneOf,
  Optional,
  Port,
  Required,
  Str,
  UrlWith,
  Uuid,
} from './decorators';

export class PoolmapEntrySchema {
  @Required() @NonEmptyStr() pool!: string;
  @Optional() @Str() ver?: string;
  @Optional() @Str() arch?: string;
  @Optional() @Str() flavor?: string;
}

/**
 * An admin tenant of REST v1 the metaclient itself uses for the key-less `/Inventory`, since the
 * api no longer lists sessions anonymously (W-S1). Optional: without it that call fails as the
 * original's does when its upstream fails.
 */
export class MetaclientAuthSchema {
  @Required() @NonEmptyStr() name!: string;
  @Required() @Uuid() key!: string;
}

const isStringMap = (v: unknown): boolean =>
  isMapping(v) && Object.values(v).every((x) => typeof x === 'string' && x !== '');

export class MetaclientSchema {
  @Optional() @NonEmptyStr() host?: string;
  @Optional() @Port() port?: number;
  @Optional() @UrlWith(['http', 'https'], 'an http(s) URL') dest?: string;
  @Optional() @OneOf(LOGLEVELS) loglevel?: string;
  @Optional() @LoggingConfig() logging?: Record<string, unknown>;

  @Required()
  @Check('isUsermap', isStringMap, 'must be a mapping of legacy key to tenant name')
  usermap!: Record<string, string>;

  @Required() @Nested(() => PoolmapEntrySchema, { each: true }) poolmap!: PoolmapEntrySchema[];
  @Optional() @Str() mangle_hostname?: string;
  @Optional() @Nested(() => MetaclientAuthSchema) auth?: MetaclientAuthSchema;
}
