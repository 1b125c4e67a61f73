import { notifyChannel } from './schema-name';

/**
 * Migration 4: `append_to_streams(p_writes jsonb)`, the atomic multi-stream append. One call =
 * one round trip, one transaction (autocommit), built on append_events' rules (migrations.ts):
 *
 * - Every stream's transaction-scoped advisory lock (the same key append_events takes), taken in
 *   the order of the lock keys, so two calls over overlapping streams queue instead of
 *   deadlocking; the positions lock below is only taken with every stream lock already held.
 * - Each write is checked like append_events checks an append (idempotent / conflict /
 *   duplicate_id). Anything but "all fine" or "all already there" writes nothing.
 * - One xid and one run of positions for the whole call, taken under the short session-level
 *   positions lock, so the call's positions are contiguous, in the order of the writes, and in
 *   xid order with every other append's (what keeps readers gap-free).
 *
 * Input: `[{ stream, expected, events: [{ id, type, data, metadata }] }]`. A stream may be
 * written more than once: a later write continues where its previous one ends (its expected
 * revision is checked against that), so events of several streams can interleave in the order
 * they were decided. Output: one row per write (write_index from 0), outcome:
 * appended | idempotent | conflict | duplicate_id | blocked (fine itself, another write failed).
 */
export function appendToStreamsFunction(s: string): string {
  return `
CREATE FUNCTION ${s}.append_to_streams(p_writes jsonb)
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
    IF v_prev IS NULL THEN
      v_current[i] := (SELECT e.revision FROM ${s}.events e
                        WHERE e.stream = v_stream[i] ORDER BY e.revision DESC LIMIT 1);
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

    INSERT INTO ${s}.events (position, xid, stream, revision, id, type, data, metadata)
    SELECT v_last - v_total + row_number() OVER (ORDER BY w.n, x.n), v_xid, w.w->>'stream',
           coalesce(v_current[w.n::int], -1) + x.n, (x.ev->>'id')::uuid, x.ev->>'type',
           coalesce(x.ev->'data', 'null'::jsonb), coalesce(x.ev->'metadata', '{}'::jsonb)
      FROM jsonb_array_elements(p_writes) WITH ORDINALITY AS w(w, n),
           jsonb_array_elements(w.w->'events') WITH ORDINALITY AS x(ev, n);
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
