// `database` (read models) and `eventstore` (where events live).
import { AllowExtraKeys, Nested, NonEmptyStr, OneOf, Optional, UrlWith } from './decorators';

const POSTGRES = ['postgres', 'postgresql'];

/** The original's SQLAlchemy settings; extra keys were engine options, so they are allowed. */
@AllowExtraKeys()
export class SqlalchemySchema {
  @Optional() @NonEmptyStr() sync_url?: string;
  @Optional() @NonEmptyStr() async_url?: string;
}

export class DatabaseSchema {
  @Optional() @UrlWith(POSTGRES, 'a postgresql:// URL') url?: string;
  @Optional() @Nested(() => SqlalchemySchema) sqlalchemy?: SqlalchemySchema;
}

export const EVENTSTORE_TYPES = ['postgres', 'pglite', 'eventstoredb'] as const;
export type EventStoreType = (typeof EVENTSTORE_TYPES)[number];

export class EventStoreSchema {
  @Optional() @OneOf(EVENTSTORE_TYPES) type?: EventStoreType;
  @Optional()
  @UrlWith(
    [...POSTGRES, 'esdb', 'esdb+discover', 'kurrentdb', 'kurrentdb+discover'],
    'a postgresql:// or esdb:// URL',
  )
  url?: string;
  @Optional() @NonEmptyStr() path?: string;
}
