import { appendToStreamsFunction } from './append-to-streams.sql';
import { hashChainMigration } from './hash-chain.sql';
import { notifyChannel } from './schema-name';

/**
 * Schema migrations, in order: entry i brings the schema to version i + 1. Never edit an entry
 * that has shipped; add a new one.
 */
export function migrations(schema: string): string[] {
  return [
    eventsTable(schema),
    appendFunction(schema),
    installationTable(schema),
    appendToStreamsFunction(schema),
    hashChainMigration(schema),
  ];
}

/**
 * The store's identity, one row, made in the same transaction as the version row: two
 * processes migrating at once queue on the migration lock, so they read the same id.
 */
function installationTable(s: string): string {
  return `
CREATE TABLE ${s}.installation (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  id         uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO ${s}.installation (id) VALUES (gen_random_uuid());
`;
}

function eventsTable(s: string): string {
  return `
CREATE TABLE ${s}.events (
  position    bigint PRIMARY KEY,
  -- Transaction that wrote the row; readers deliver only rows below their snapshot's xmin.
  xid         xid8 NOT NULL,
  stream      text NOT NULL,
  revision    bigint NOT NULL,
  id          uuid NOT NULL UNIQUE,
  type        text NOT NULL,
  data        jsonb NOT NULL,
  metadata    jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (stream, revision)
);
CREATE INDEX events_type_position ON ${s}.events (type, position);
-- CACHE 1: a per-backend cache would hand out positions out of transaction-id order.
CREATE SEQUENCE ${s}.positions AS bigint CACHE 1;

-- Events are never updated or deleted (DESIGN §3, invariant 6).
CREATE FUNCTION ${s}.reject_event_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'events are append-only (% refused)', TG_OP;
END
$fn$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON ${s}.events
  FOR EACH ROW EXECUTE FUNCTION ${s}.reject_event_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON ${s}.events
  FOR EACH STATEMENT EXECUTE FUNCTION ${s}.reject_event_change();
`;
}

/**
 * One call = one append, one round trip, one transaction (called in autocommit mode).
 *
 * Positions come from a sequence, so appends to different streams commit concurrently (group
 * commit) and may become visible out of position order. Readers stay gap-free because positions
 * are handed out in transaction-id order: the transaction id and the positions are taken together
 * under a short session-level advisory lock, released before COMMIT. A reader delivers only rows
 * whose xid is below its snapshot's xmin (see event-rows.ts): every lower position then has a
 * lower xid, so its transaction has ended and its row, if committed, is in the same snapshot.
 *
 * Appends to one stream are serialised by a transaction-scoped advisory lock on the stream, so
 * the expected-revision check and the idempotency check are race-free.
 *
 * Outcome: appended | idempotent (same ids already at that place) | conflict | duplicate_id.
 * An id stored concurrently in another stream surfaces as a unique violation on events_id_key.
 */
function appendFunction(s: string): string {
  return `
CREATE FUNCTION ${s}.append_events(p_stream text, p_expected text, p_events jsonb)
RETURNS TABLE (outcome text, last_revision bigint, last_position bigint, actual_revision bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_count    int := jsonb_array_length(p_events);
  v_ids      uuid[];
  v_current  bigint;
  v_known    int;
  v_first    bigint;
  v_in_place int;
  v_xid      xid8;
  v_position bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('${s}.stream'), hashtext(p_stream));

  SELECT e.revision INTO v_current FROM ${s}.events e
   WHERE e.stream = p_stream ORDER BY e.revision DESC LIMIT 1;

  SELECT coalesce(array_agg((x.ev->>'id')::uuid ORDER BY x.n), '{}') INTO v_ids
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(ev, n);
  SELECT count(*) INTO v_known FROM ${s}.events e WHERE e.id = ANY (v_ids);

  IF v_known > 0 THEN
    -- A retry is idempotent when all its ids sit, in order and contiguous, in this stream at the
    -- place the expected revision names (anywhere for any/stream_exists).
    SELECT e.revision INTO v_first FROM ${s}.events e WHERE e.id = v_ids[1] AND e.stream = p_stream;
    IF v_known = v_count AND v_first IS NOT NULL AND (
         p_expected IN ('any', 'stream_exists')
      OR (p_expected = 'no_stream' AND v_first = 0)
      OR (p_expected ~ '^[0-9]+$' AND v_first = p_expected::bigint + 1)) THEN
      SELECT count(*), max(e.revision), max(e.position) INTO v_in_place, last_revision, last_position
        FROM unnest(v_ids) WITH ORDINALITY AS u(id, n)
        JOIN ${s}.events e ON e.id = u.id AND e.stream = p_stream AND e.revision = v_first + u.n - 1;
      IF v_in_place = v_count THEN
        outcome := 'idempotent';
        actual_revision := v_current;
        RETURN NEXT;
        RETURN;
      END IF;
    END IF;
  END IF;

  IF (p_expected = 'no_stream' AND v_current IS NOT NULL)
     OR (p_expected = 'stream_exists' AND v_current IS NULL)
     OR (p_expected ~ '^[0-9]+$' AND v_current IS DISTINCT FROM p_expected::bigint) THEN
    outcome := 'conflict';
    actual_revision := v_current;
    RETURN NEXT;
    RETURN;
  END IF;

  IF v_known > 0 THEN
    outcome := 'duplicate_id';
    actual_revision := v_current;
    RETURN NEXT;
    RETURN;
  END IF;

  IF v_count > 0 THEN
    IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
      -- An xid taken earlier could be older than positions handed out meanwhile.
      RAISE EXCEPTION 'append_events must run in a transaction that has not written yet';
    END IF;
    -- Transaction id and positions in one order. The lock is session-level so it can be released
    -- before COMMIT; the handler makes sure no error path leaves it held.
    PERFORM pg_advisory_lock(hashtext('${s}.positions'), 0);
    BEGIN
      v_xid := pg_current_xact_id();
      SELECT max(q.p) INTO v_position
        FROM (SELECT nextval('${s}.positions') AS p FROM generate_series(1, v_count)) AS q;
    EXCEPTION WHEN OTHERS OR query_canceled THEN
      PERFORM pg_advisory_unlock(hashtext('${s}.positions'), 0);
      RAISE;
    END;
    PERFORM pg_advisory_unlock(hashtext('${s}.positions'), 0);

    INSERT INTO ${s}.events (position, xid, stream, revision, id, type, data, metadata)
    SELECT v_position - v_count + x.n, v_xid, p_stream, coalesce(v_current, -1) + x.n,
           (x.ev->>'id')::uuid, x.ev->>'type', coalesce(x.ev->'data', 'null'::jsonb),
           coalesce(x.ev->'metadata', '{}'::jsonb)
      FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(ev, n);
    PERFORM pg_notify('${notifyChannel(s)}', v_position::text);
    last_position := v_position;
  ELSE
    SELECT coalesce(max(e.position), 0) INTO last_position FROM ${s}.events e WHERE e.stream = p_stream;
  END IF;
  outcome := 'appended';
  last_revision := coalesce(v_current, -1) + v_count;
  actual_revision := v_current;
  RETURN NEXT;
END
$fn$;
`;
}
