import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/** One message of the JetStream event stream: the event id it carries and its sequence. */
export interface RelayedMessage {
  eventId: string;
  streamSeq: number;
}

/**
 * Every message of `stream`, from its first sequence to the last one it held when asked, read
 * through an ordered (ephemeral) consumer, headers only: the relay's Nats-Msg-Id is the event
 * id. Throws if the stream cannot be read whole within `timeoutMs`.
 */
export async function readRelayedMessages(
  servers: string[],
  stream: string,
  timeoutMs = 120_000,
): Promise<RelayedMessage[]> {
  const nc = await connect({ servers, maxReconnectAttempts: 20, reconnectTimeWait: 500 });
  try {
    const info = await (await jetstreamManager(nc)).streams.info(stream);
    const { first_seq: first, last_seq: last, messages } = info.state;
    const read: RelayedMessage[] = [];
    if (messages === 0) return read;
    const consumer = await jetstream(nc).consumers.get(stream, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: first,
      headers_only: true,
    });
    const deadline = Date.now() + timeoutMs;
    let seen = first - 1;
    while (seen < last) {
      if (Date.now() > deadline) {
        throw new Error(
          `JetStream stream ${stream}: read up to ${seen} of ${last} in ${timeoutMs} ms`,
        );
      }
      const batch = await consumer.fetch({ max_messages: 1000, expires: 2000 });
      for await (const m of batch) {
        read.push({ eventId: m.headers?.get('Nats-Msg-Id') ?? '', streamSeq: m.seq });
        seen = m.seq;
        if (seen >= last) break;
      }
    }
    return read;
  } finally {
    await nc.close();
  }
}
