import { JetStreamApiError, type JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

export interface StreamSpec {
  name: string;
  subjects: string[];
  /** How long JetStream remembers message ids to drop re-published duplicates. */
  duplicateWindowMs: number;
  /** Messages older than this are discarded; 0 keeps them. */
  maxAgeMs?: number;
  /** Copies kept by a cluster (`tasks.nats.replicas`); 1 on a single server. */
  replicas?: number;
}

/** Creates the stream, or brings an existing one to this spec (every process calls it at start). */
export async function ensureStream(jsm: JetStreamManager, spec: StreamSpec): Promise<void> {
  const config = {
    name: spec.name,
    subjects: spec.subjects,
    duplicate_window: nanos(spec.duplicateWindowMs),
    max_age: nanos(spec.maxAgeMs ?? 0),
    num_replicas: spec.replicas ?? 1,
  };
  try {
    await jsm.streams.add(config);
  } catch (e) {
    // 10058: the stream exists with another configuration.
    if (!(e instanceof JetStreamApiError) || e.code !== 10058) throw e;
    await jsm.streams.update(spec.name, config);
  }
}
