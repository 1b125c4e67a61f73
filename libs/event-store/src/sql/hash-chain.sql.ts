import { notifyChannel } from './schema-name';

/**
 * Migration 5: the hash chain (tamper evidence, hash-chain/). Adds `events.hash` (NULL on rows
 * stored before it) and replaces append_events and append_to_streams — same signatures, same
 * outcomes — so that each new event's hash is chained, under the stream locks the functions
 * already hold, to the hash of the stream's event before it:
 *
 *   hash = sha256_hex(coalesce(previous hash, '') || ':' || digest)
 *
 * `digest` comes with each event in the call's JSON: the adapter computes it in TypeScript over
 * type, data and metadata (contentDigest), since canonical JSON is simpler there than in SQL; the
 * chaining itself has to happen here, where the previous event is known for certain. Events of
 * one call chain one after the other, also when a stream is written twice in append_to_streams.
 * Idempotent retries are answered as before and write nothing, so stored hashes never change.
 */
export function hashChainMigration(s: string): string {
  return `
ALTER TABLE ${s}.events ADD COLUMN hash text;
${appendEvents(s)}
${appendToStreams(s)}
`;
}

/** One link: the hash of the event whose digest is `digest`, after `previous` (NULL: first). */
function chainStep(previous: string, digest: string): string {
  return `encode(sha256(convert_to(coalesce(${previous}, '') || ':' || ${digest}, 'UTF8')), 'hex')`;
}

/** As migration 2 (migrations.ts), plus the previous hash read with the last revision. */
function appendEvents(s: string): string {
  return `
CREATE OR REPLACE FUNCTION ${s}.append_events(p_stream text, p_expected text, p_events jsonb)
RETURNS TABLE (outcome text, last_revision bigint, last_position bigint, actual_revision bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_count    int := jsonb_array_length(p_events);
  v_ids      uuid[];
  v_current  bigint;
  v_hash     text;
  v_hashes   text[] := '{}';
  v_digest   text;
  v_known    int;
  v_first    bigint;
  v_in_place int;
  v_xid      xid8;
  v_position bigint;
  i          int;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('${s}.stream'), hashtext(p_stream));

  SELECT e.revision, e.hash INTO v_current, v_hash FROM ${s}.events e
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
    FOR i IN 0 .. v_count - 1 LOOP
      v_digest := p_events -> i ->> 'digest';
      IF v_digest IS NULL THEN
        RAISE EXCEPTION 'append_events: event % has no digest', i;
      END IF;
      v_hash := ${chainStep('v_hash', 'v_digest')};
      v_hashes := v_hashes || v_hash;
    END LOOP;
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

    INSERT INTO ${s}.events (position, xid, stream, revision, id, type, data, metadata, hash)
    SELECT v_position - v_count + x.n, v_xid, p_stream, coalesce(v_current, -1) + x.n,
           (x.ev->>'id')::uuid, x.ev->>'type', coalesce(x.ev->'data', 'null'::jsonb),
           coalesce(x.ev->'metadata', '{}'::jsonb), v_hashes[x.n]
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

/**
 * As migration 4 (append-to-streams.sql.ts), plus: a write's chain starts from the hash of its
 * stream's last stored event, or where the call's previous write of the same stream ended.
 */
function appendToStreams(s: string): string {
  return `
CREATE OR REPLACE FUNCTION ${s}.append_to_streams(p_writes jsonb)
RETURNS TABLE (write_index int, outcome text, last_revision bigint, last_position bigint,
               actual_revision bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_writes      int := jsonb_array_length(p_writes);
  v_key         int;
  v_stream      text[];
  v_expected    text[];
  v_count       int[];
  v_current     bigint[];
  v_status      text[];
  v_earlier     int[];
  v_tail_hash   text[];
  v_hashes      text[] := '{}';
  v_hash        text;
  v_last_rev    bigint;
  v_digest      text;
  v_ids         uuid[];
  v_known       int;
  v_first       bigint;
  v_in_place    int;
  v_all_placed  boolean := true;
  v_failed      boolean := false;
  v_total       int := 0;
  v_xid         xid8;
  v_last        bigint;
  v_call_first  bigint;
  v_done        int := 0;
  v_prev        int;
  i             int;
  j             int;
BEGIN
  FOR v_key IN
    SELECT DISTINCT hashtext(w->>'stream') AS k FROM jsonb_array_elements(p_writes) AS w ORDER BY k
  LOOP
    PERFORM pg_advisory_xact_lock(hashtext('${s}.stream'), v_key);
  END LOOP;

  FOR i IN 1 .. v_writes LOOP
    v_stream[i] := p_writes -> (i - 1) ->> 'stream';
    v_expected[i] := p_writes -> (i - 1) ->> 'expected';
    v_count[i] := jsonb_array_length(p_writes -> (i - 1) -> 'events');
    v_total := v_total + v_count[i];
    -- A stream written again in this call continues where its previous write ends.
    v_prev := NULL;
    FOR j IN REVERSE i - 1 .. 1 LOOP
      IF v_stream[j] = v_stream[i] THEN
        v_prev := j;
        EXIT;
      END IF;
    END LOOP;
    v_earlier[i] := v_prev;
    IF v_prev IS NULL THEN
      SELECT e.revision, e.hash INTO v_last_rev, v_hash FROM ${s}.events e
       WHERE e.stream = v_stream[i] ORDER BY e.revision DESC LIMIT 1;
      v_current[i] := v_last_rev;
      v_tail_hash[i] := v_hash;
    ELSIF v_current[v_prev] IS NULL AND v_count[v_prev] = 0 THEN
      v_current[i] := NULL;
    ELSE
      v_current[i] := coalesce(v_current[v_prev], -1) + v_count[v_prev];
    END IF;
    v_known := 0;
    IF v_count[i] > 0 THEN
      SELECT array_agg((x.ev->>'id')::uuid ORDER BY x.n) INTO v_ids
        FROM jsonb_array_elements(p_writes -> (i - 1) -> 'events') WITH ORDINALITY AS x(ev, n);
      SELECT count(*) INTO v_known FROM ${s}.events e WHERE e.id = ANY (v_ids);
      -- In place: all ids, in order and contiguous, where the expected revision puts them.
      v_in_place := 0;
      IF v_known = v_count[i] THEN
        SELECT e.revision INTO v_first FROM ${s}.events e
         WHERE e.id = v_ids[1] AND e.stream = v_stream[i];
        IF v_first IS NOT NULL AND (
             v_expected[i] IN ('any', 'stream_exists')
          OR (v_expected[i] = 'no_stream' AND v_first = 0)
          OR (v_expected[i] ~ '^[0-9]+$' AND v_first = v_expected[i]::bigint + 1)) THEN
          SELECT count(*) INTO v_in_place
            FROM unnest(v_ids) WITH ORDINALITY AS u(id, n)
            JOIN ${s}.events e
              ON e.id = u.id AND e.stream = v_stream[i] AND e.revision = v_first + u.n - 1;
        END IF;
      END IF;
      v_all_placed := v_all_placed AND v_in_place = v_count[i];
    END IF;

    IF (v_expected[i] = 'no_stream' AND v_current[i] IS NOT NULL)
       OR (v_expected[i] = 'stream_exists' AND v_current[i] IS NULL)
       OR (v_expected[i] ~ '^[0-9]+$' AND v_current[i] IS DISTINCT FROM v_expected[i]::bigint) THEN
      v_status[i] := 'conflict';
    ELSIF v_known > 0 THEN
      v_status[i] := 'duplicate_id';
    ELSE
      v_status[i] := 'ok';
    END IF;
    v_failed := v_failed OR v_status[i] <> 'ok';
  END LOOP;

  IF v_total > 0 AND v_all_placed THEN
    -- The same call already committed (a retry after a lost answer): report what it reported.
    -- A guarded stream's state then is its events before the call's first position: the call
    -- held that stream's lock from before its positions were taken until its commit.
    SELECT min(e.position) INTO v_call_first FROM ${s}.events e
     WHERE e.id IN (SELECT (ev->>'id')::uuid FROM jsonb_array_elements(p_writes) AS w,
                           jsonb_array_elements(w->'events') AS ev);
    FOR i IN 1 .. v_writes LOOP
      write_index := i - 1;
      outcome := 'idempotent';
      actual_revision := v_current[i];
      IF v_count[i] > 0 THEN
        SELECT max(e.revision), max(e.position) INTO last_revision, last_position
          FROM ${s}.events e
         WHERE e.stream = v_stream[i] AND e.id IN (
           SELECT (ev->>'id')::uuid FROM jsonb_array_elements(p_writes -> (i - 1) -> 'events') AS ev);
      ELSE
        last_revision := NULL;
        last_position := NULL;
        SELECT e.revision, e.position INTO last_revision, last_position FROM ${s}.events e
         WHERE e.stream = v_stream[i] AND e.position < v_call_first
         ORDER BY e.revision DESC LIMIT 1;
        last_revision := coalesce(last_revision, -1);
        last_position := coalesce(last_position, 0);
      END IF;
      RETURN NEXT;
    END LOOP;
    RETURN;
  END IF;

  IF v_failed THEN
    FOR i IN 1 .. v_writes LOOP
      write_index := i - 1;
      outcome := CASE v_status[i] WHEN 'ok' THEN 'blocked' ELSE v_status[i] END;
      last_revision := NULL;
      last_position := NULL;
      actual_revision := v_current[i];
      RETURN NEXT;
    END LOOP;
    RETURN;
  END IF;

  IF v_total > 0 THEN
    IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
      -- An xid taken earlier could be older than positions handed out meanwhile.
      RAISE EXCEPTION 'append_to_streams must run in a transaction that has not written yet';
    END IF;
    -- Hashes in the order the INSERT numbers the rows: write by write, event by event.
    FOR i IN 1 .. v_writes LOOP
      v_hash := CASE WHEN v_earlier[i] IS NULL THEN v_tail_hash[i] ELSE v_tail_hash[v_earlier[i]] END;
      FOR j IN 0 .. v_count[i] - 1 LOOP
        v_digest := p_writes -> (i - 1) -> 'events' -> j ->> 'digest';
        IF v_digest IS NULL THEN
          RAISE EXCEPTION 'append_to_streams: event % of write % has no digest', j, i - 1;
        END IF;
        v_hash := ${chainStep('v_hash', 'v_digest')};
        v_hashes := v_hashes || v_hash;
      END LOOP;
      v_tail_hash[i] := v_hash;
    END LOOP;
    -- As in append_events: xid and positions together, lock released before COMMIT.
    PERFORM pg_advisory_lock(hashtext('${s}.positions'), 0);
    BEGIN
      v_xid := pg_current_xact_id();
      SELECT max(q.p) INTO v_last
        FROM (SELECT nextval('${s}.positions') AS p FROM generate_series(1, v_total)) AS q;
    EXCEPTION WHEN OTHERS OR query_canceled THEN
      PERFORM pg_advisory_unlock(hashtext('${s}.positions'), 0);
      RAISE;
    END;
    PERFORM pg_advisory_unlock(hashtext('${s}.positions'), 0);

    INSERT INTO ${s}.events (position, xid, stream, revision, id, type, data, metadata, hash)
    SELECT v_last - v_total + r.k, v_xid, r.stream, r.revision, r.id, r.type, r.data, r.metadata,
           v_hashes[r.k]
      FROM (SELECT row_number() OVER (ORDER BY w.n, x.n) AS k, w.w->>'stream' AS stream,
                   coalesce(v_current[w.n::int], -1) + x.n AS revision, (x.ev->>'id')::uuid AS id,
                   x.ev->>'type' AS type, coalesce(x.ev->'data', 'null'::jsonb) AS data,
                   coalesce(x.ev->'metadata', '{}'::jsonb) AS metadata
              FROM jsonb_array_elements(p_writes) WITH ORDINALITY AS w(w, n),
                   jsonb_array_elements(w.w->'events') WITH ORDINALITY AS x(ev, n)) AS r;
    PERFORM pg_notify('${notifyChannel(s)}', v_last::text);
  END IF;

  FOR i IN 1 .. v_writes LOOP
    write_index := i - 1;
    outcome := 'appended';
    last_revision := coalesce(v_current[i], -1) + v_count[i];
    actual_revision := v_current[i];
    IF v_count[i] > 0 THEN
      v_done := v_done + v_count[i];
      last_position := v_last - v_total + v_done;
    ELSE
      SELECT coalesce(max(e.position), 0) INTO last_position FROM ${s}.events e
       WHERE e.stream = v_stream[i];
    END IF;
    RETURN NEXT;
  END LOOP;
END
$fn$;
`;
}
