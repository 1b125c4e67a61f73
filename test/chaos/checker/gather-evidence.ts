import { PostgresEventStore, type RecordedEvent } from '@app/event-store';
import { READ_MODEL_PROJECTION } from '@app/read-models/projection/read-model-projection';
import { Client } from 'pg';
import type { ChaosRunEvidence } from './chaos-run-evidence';
import { readAnswers } from './read-answers';
import { readEffectMarkers } from './read-effect-markers';
import { readRelayedMessages } from './read-relayed-messages';

/** The relay's checkpoint row: EventRelay's default name, the only relay a run has. */
const RELAY_CHECKPOINT = { table: 'event_relay_checkpoint', name: 'jetstream' };
const PAGE = 10_000;

export interface GatherEvidenceOptions {
  databaseUrl: string;
  natsServers: string[];
  /** The JetStream stream the relay publishes to. */
  eventStream: string;
  answersFile: string;
  markerDir: string;
  /** Runs `projector verify`. */
  verify: () => Promise<{ exitCode: number; output: string }>;
  now?: Date;
  timeouts: ChaosRunEvidence['timeouts'];
  graceMs: number;
  defaultQuota: number;
  pools: ChaosRunEvidence['pools'];
}

/** Reads everything a run left (the checker's only I/O): log, checkpoints, stream, files. */
export async function gatherEvidence(o: GatherEvidenceOptions): Promise<ChaosRunEvidence> {
  const events = await readLog(o.databaseUrl);
  const { projectorCheckpoint, relayCheckpoint } = await readCheckpoints(o.databaseUrl);
  const relayed = await readRelayedMessages(o.natsServers, o.eventStream);
  const answers = await readAnswers(o.answersFile);
  const markers = await readEffectMarkers(o.markerDir);
  const verify = await o.verify();
  return {
    events,
    answers: answers.answers,
    markers: markers.markers,
    relayed,
    projectorCheckpoint,
    relayCheckpoint,
    verify,
    now: o.now ?? new Date(),
    timeouts: o.timeouts,
    graceMs: o.graceMs,
    defaultQuota: o.defaultQuota,
    pools: o.pools,
    unreadable: { answers: answers.unreadable.length, markers: markers.unreadable.length },
  };
}

async function readLog(url: string): Promise<RecordedEvent[]> {
  const store = await PostgresEventStore.connect({ url, poolSize: 2 });
  try {
    const events: RecordedEvent[] = [];
    for (;;) {
      const after = events.length === 0 ? 0 : events[events.length - 1].position;
      const page = await store.readAll({ after, maxCount: PAGE });
      events.push(...page);
      if (page.length < PAGE) return events;
    }
  } finally {
    await store.close();
  }
}

async function readCheckpoints(
  url: string,
): Promise<{ projectorCheckpoint: number; relayCheckpoint: number }> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const position = async (table: string, name: string) => {
      const exists = await c.query('SELECT to_regclass($1) AS t', [table]);
      if (exists.rows[0]?.t === null) return 0;
      const { rows } = await c.query(`SELECT position FROM ${table} WHERE name = $1`, [name]);
      return rows.length === 0 ? 0 : Number(rows[0].position);
    };
    return {
      projectorCheckpoint: await position('projection_checkpoints', READ_MODEL_PROJECTION),
      relayCheckpoint: await position(RELAY_CHECKPOINT.table, RELAY_CHECKPOINT.name),
    };
  } finally {
    await c.end();
  }
}
