import {
  AppendResult,
  DuplicateEventIdError,
  EventStore,
  ExpectedRevision,
  MultiStreamAppendResult,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamWrite,
  SubscribeOptions,
  Subscription,
  WrongExpectedVersionError,
} from '../event-store.port';
import { EVENT_COLUMNS, EventRow, readAllParams, readAllSql, toRecordedEvent } from './event-rows';
import { checkExpectedRevision } from '../expected-revision';
import { IdSequences } from './id-sequences';
import {
  MultiAppendRow,
  duplicateIdError,
  eventPayload,
  multiAppendPayload,
  multiAppendResult,
} from './multi-stream-append';
import { notifyChannel } from './schema-name';
import { SqlRunner } from './sql-runner';
import { SqlSubscription } from './sql-subscription';

interface AppendRow {
  outcome: 'appended' | 'idempotent' | 'conflict' | 'duplicate_id';
  last_revision: string | number | null;
  last_position: string | number | null;
  actual_revision: string | number | null;
}

/** Largest page one readAll/readStream returns when no maxCount is given. */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

export interface SqlEventStoreOptions {
  schema: string;
  /** Name given to subscription sessions (PostgreSQL application_name). */
  subscriptionSessionName: string;
}

/** The EventStore port over any SqlRunner: the logic both PostgreSQL adapters share. */
export class SqlEventStore implements EventStore {
  private readonly appendSql: string;
  private readonly appendToStreamsSql: string;
  private readonly ids: IdSequences;
  private readonly readAllSql: string;
  private readonly subscriptions = new Set<Subscription>();
  private installation?: Promise<string>;

  constructor(
    protected readonly runner: SqlRunner,
    private readonly options: SqlEventStoreOptions,
  ) {
    this.appendSql = `SELECT * FROM ${options.schema}.append_events($1, $2, $3::jsonb)`;
    this.appendToStreamsSql = `SELECT * FROM ${options.schema}.append_to_streams($1::jsonb)`;
    this.readAllSql = readAllSql(options.schema);
    this.ids = new IdSequences(runner, options.schema);
  }

  async append(
    stream: string,
    events: NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    checkExpectedRevision(expected);
    const payload = events.map(eventPayload);
    let row: AppendRow;
    try {
      [row] = await this.runner.query<AppendRow>(this.appendSql, [
        stream,
        String(expected),
        JSON.stringify(payload),
      ]);
    } catch (error) {
      // The same id written concurrently to another stream: the unique index decides.
      if (isUniqueViolation(error, 'events_id_key')) {
        throw new DuplicateEventIdError(
          stream,
          payload.map((event) => event.id),
        );
      }
      throw error;
    }
    switch (row.outcome) {
      case 'appended':
      case 'idempotent':
        return {
          nextExpectedRevision: Number(row.last_revision),
          position: Number(row.last_position),
        };
      case 'conflict':
        throw new WrongExpectedVersionError(
          stream,
          expected,
          row.actual_revision === null ? 'no_stream' : Number(row.actual_revision),
        );
      case 'duplicate_id':
        throw new DuplicateEventIdError(
          stream,
          payload.map((event) => event.id),
        );
    }
  }

  async appendToStreams(writes: StreamWrite[]): Promise<MultiStreamAppendResult> {
    const payload = multiAppendPayload(writes);
    let rows: MultiAppendRow[];
    try {
      rows = await this.runner.query<MultiAppendRow>(this.appendToStreamsSql, [
        JSON.stringify(payload),
      ]);
    } catch (error) {
      if (isUniqueViolation(error, 'events_id_key')) throw duplicateIdError(payload, error);
      throw error;
    }
    return multiAppendResult(writes, payload, rows);
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? UNBOUNDED : 0);
    const rows = await this.runner.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ${this.options.schema}.events
        WHERE stream = $1 AND revision ${backwards ? '<=' : '>='} $2
        ORDER BY revision ${backwards ? 'DESC' : 'ASC'} LIMIT $3`,
      [stream, from, options.maxCount ?? UNBOUNDED],
    );
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const rows = await this.runner.query<EventRow>(
      this.readAllSql,
      readAllParams(options.after ?? 0, options.maxCount ?? UNBOUNDED, options.filter),
    );
    return rows.map(toRecordedEvent);
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    const subscription = new SqlSubscription(this.runner, {
      schema: this.options.schema,
      channel: notifyChannel(this.options.schema),
      after: options.after ?? 0,
      filter: options.filter,
      sessionName: this.options.subscriptionSessionName,
      onEnded: () => this.subscriptions.delete(subscription),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** From a sequence per kind (id-sequences.ts), continuing the old `id-<kind>` stream. */
  nextId(kind: string): Promise<number> {
    return this.ids.next(kind);
  }

  installationId(): Promise<string> {
    this.installation ??= this.runner
      .query<{ id: string }>(`SELECT id::text AS id FROM ${this.options.schema}.installation`)
      .then(([row]) => {
        if (!row) throw new Error(`${this.options.schema}.installation has no row`);
        return row.id;
      });
    // A failed read (lost connection) is not remembered: the next call asks again.
    this.installation.catch(() => (this.installation = undefined));
    return this.installation;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    this.subscriptions.clear();
    await this.runner.close();
  }
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string; message?: string };
  return e?.code === '23505' && (e.constraint === constraint || !!e.message?.includes(constraint));
}
