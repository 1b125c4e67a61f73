/**
 * An in-process gRPC TEST DOUBLE of EventStoreDB's Streams service (stack-notes Appendix C), built
 * on the client package's own generated stubs, so `@eventstore/db-client` runs unmodified against
 * it. It is not EventStoreDB: it checks that our adapter speaks the client API correctly, not
 * that a real server behaves as we assume.
 *
 * Supported: Append (expected revision any / no_stream / stream_exists / exact, wrong expected
 * version, idempotent retry of the same ids at the same place); Read of a stream (forwards,
 * backwards, start / end / revision, count, stream-not-found) and of $all (start / position,
 * inclusive); subscribeToAll from start or a position (exclusive) with stream-name or event-type
 * filters (prefixes or regex), then live.
 *
 * Fidelity limits (what a real server may do differently):
 * - positions are synthetic (commit = prepare = 100 × n), one per event; a real server gives
 *   byte offsets, and events of one append may share or interleave positions differently;
 * - idempotency is exact and unbounded here; EventStoreDB's is best effort (an id cache window);
 * - no system events or streams in $all, no $-metadata, no link events, no checkpoints for
 *   filtered subscriptions, no caught-up / fell-behind messages;
 * - no BatchAppend (ServerFeatures is not served, so the client falls back to Append), no delete,
 *   tombstone, persistent subscriptions, projections, auth, TLS, clustering, leader changes;
 * - appends are applied one at a time in arrival order, never concurrently.
 */
import * as grpc from '@grpc/grpc-js';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import {
  AppendReq,
  AppendResp,
  ReadReq,
  ReadResp,
} from '@eventstore/db-client/generated/streams_pb';
import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';

interface StoredEvent {
  stream: string;
  revision: number;
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  metadata: Uint8Array;
  createdTicks: string;
  position: number;
}

type Expected =
  { kind: 'any' | 'no_stream' | 'stream_exists' } | { kind: 'exact'; revision: number };

export interface EventStoreDbDouble {
  /** `esdb://127.0.0.1:PORT?tls=false` */
  url: string;
  stop(): Promise<void>;
}

export async function startEventStoreDbDouble(): Promise<EventStoreDbDouble> {
  const all: StoredEvent[] = [];
  const streams = new Map<string, StoredEvent[]>();
  const live = new Set<(event: StoredEvent) => void>();

  const append = (
    call: grpc.ServerReadableStream<AppendReq, AppendResp>,
    callback: grpc.sendUnaryData<AppendResp>,
  ) => {
    let stream = '';
    let expected: Expected = { kind: 'any' };
    const proposed: Omit<StoredEvent, 'stream' | 'revision' | 'position' | 'createdTicks'>[] = [];
    call.on('data', (req: AppendReq) => {
      const options = req.getOptions();
      if (options) {
        stream = streamName(options.getStreamIdentifier());
        expected = toExpected(options);
      }
      const message = req.getProposedMessage();
      if (message) {
        proposed.push({
          id: uuidString(message.getId()),
          type: message.getMetadataMap().get('type') ?? '',
          contentType: message.getMetadataMap().get('content-type') ?? 'application/octet-stream',
          data: message.getData_asU8(),
          metadata: message.getCustomMetadata_asU8(),
        });
      }
    });
    call.on('end', () => {
      const events = streams.get(stream) ?? [];
      const current = events.length - 1;
      const response = new AppendResp();
      const replayed = idempotentReplay(events, proposed, expected);
      if (replayed) {
        response.setSuccess(success(replayed.revision, replayed.position));
        return callback(null, response);
      }
      const matches =
        expected.kind === 'any' ||
        (expected.kind === 'no_stream' && current === -1) ||
        (expected.kind === 'stream_exists' && current >= 0) ||
        (expected.kind === 'exact' && expected.revision === current);
      if (!matches) {
        const wrong = new AppendResp.WrongExpectedVersion();
        if (current >= 0) wrong.setCurrentRevision(String(current));
        else wrong.setCurrentNoStream(new Empty());
        if (expected.kind === 'exact') wrong.setExpectedRevision(String(expected.revision));
        response.setWrongExpectedVersion(wrong);
        return callback(null, response);
      }
      for (const event of proposed) {
        const stored: StoredEvent = {
          ...event,
          stream,
          revision: events.length,
          position: (all.length + 1) * 100,
          createdTicks: String(BigInt(Date.now()) * 10_000n),
        };
        events.push(stored);
        all.push(stored);
      }
      streams.set(stream, events);
      const last = events[events.length - 1];
      response.setSuccess(success(events.length - 1, last?.position ?? 0));
      callback(null, response);
      for (const event of all.slice(all.length - proposed.length))
        live.forEach((push) => push(event));
    });
  };

  const read = (call: grpc.ServerWritableStream<ReadReq, ReadResp>) => {
    const options = call.request.getOptions();
    if (!options) return call.end();
    const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
    const count = options.hasCount() ? Number(options.getCount()) : Number.MAX_SAFE_INTEGER;
    const filter = toFilter(options);
    const send = (event: StoredEvent) => call.write(readResponse(event));

    if (options.hasStream()) {
      const streamOptions = options.getStream()!;
      const name = streamName(streamOptions.getStreamIdentifier());
      const events = streams.get(name);
      if (!events) {
        const notFound = new ReadResp.StreamNotFound();
        notFound.setStreamIdentifier(streamOptions.getStreamIdentifier());
        call.write(new ReadResp().setStreamNotFound(notFound));
        return call.end();
      }
      const from = streamOptions.hasRevision()
        ? Number(streamOptions.getRevision())
        : streamOptions.hasEnd()
          ? events.length - 1
          : 0;
      const selected = backwards
        ? events.filter((e) => e.revision <= from).reverse()
        : events.filter((e) => e.revision >= from);
      selected.slice(0, count).forEach(send);
      return call.end();
    }

    const allOptions = options.getAll()!;
    const from = allOptions.hasPosition()
      ? Number(allOptions.getPosition()!.getCommitPosition())
      : allOptions.hasEnd()
        ? Number.MAX_SAFE_INTEGER
        : 0;
    if (!options.hasSubscription()) {
      const selected = backwards
        ? all.filter((e) => e.position < from).reverse()
        : all.filter((e) => e.position >= from);
      selected.filter(filter).slice(0, count).forEach(send);
      return call.end();
    }
    const confirmation = new ReadResp.SubscriptionConfirmation();
    confirmation.setSubscriptionId(`double-${Math.random().toString(16).slice(2)}`);
    call.write(new ReadResp().setConfirmation(confirmation));
    // From a position: exclusive, as the real server.
    all.filter((e) => e.position > from && filter(e)).forEach(send);
    const push = (event: StoredEvent) => {
      if (filter(event)) send(event);
    };
    live.add(push);
    const stop = () => live.delete(push);
    call.on('cancelled', stop);
    call.on('close', stop);
    call.on('error', stop);
  };

  const server = new grpc.Server();
  server.addService(StreamsService, {
    append,
    read,
  } as unknown as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    url: `esdb://127.0.0.1:${port}?tls=false`,
    stop: () =>
      new Promise<void>((resolve) => {
        live.clear();
        server.tryShutdown(() => resolve());
        // Open subscriptions would keep tryShutdown waiting.
        setTimeout(() => server.forceShutdown(), 200).unref();
      }),
  };
}

function idempotentReplay(
  events: StoredEvent[],
  proposed: { id: string }[],
  expected: Expected,
): { revision: number; position: number } | undefined {
  if (proposed.length === 0) return undefined;
  const first = events.findIndex((e) => e.id === proposed[0].id);
  if (first < 0) return undefined;
  const placeMatches =
    expected.kind === 'any' ||
    expected.kind === 'stream_exists' ||
    (expected.kind === 'no_stream' && first === 0) ||
    (expected.kind === 'exact' && first === expected.revision + 1);
  const inPlace = proposed.every((p, i) => events[first + i]?.id === p.id);
  if (!placeMatches || !inPlace) return undefined;
  const last = events[first + proposed.length - 1];
  return { revision: last.revision, position: last.position };
}

function toExpected(options: AppendReq.Options): Expected {
  switch (options.getExpectedStreamRevisionCase()) {
    case AppendReq.Options.ExpectedStreamRevisionCase.REVISION:
      return { kind: 'exact', revision: Number(options.getRevision()) };
    case AppendReq.Options.ExpectedStreamRevisionCase.NO_STREAM:
      return { kind: 'no_stream' };
    case AppendReq.Options.ExpectedStreamRevisionCase.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    default:
      return { kind: 'any' };
  }
}

function toFilter(options: ReadReq.Options): (event: StoredEvent) => boolean {
  const filter = options.hasFilter() ? options.getFilter() : undefined;
  if (!filter) return () => true;
  const onStream = filter.hasStreamIdentifier();
  const expression = onStream ? filter.getStreamIdentifier()! : filter.getEventType()!;
  const prefixes = expression.getPrefixList();
  const regex = expression.getRegex() ? new RegExp(expression.getRegex()) : undefined;
  return (event) => {
    const subject = onStream ? event.stream : event.type;
    if (prefixes.length > 0) return prefixes.some((prefix) => subject.startsWith(prefix));
    return regex ? regex.test(subject) : true;
  };
}

function success(revision: number, position: number): AppendResp.Success {
  const result = new AppendResp.Success();
  result.setCurrentRevision(String(revision));
  const at = new AppendResp.Position();
  at.setCommitPosition(String(position));
  at.setPreparePosition(String(position));
  result.setPosition(at);
  return result;
}

function readResponse(event: StoredEvent): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  recorded.setId(new UUID().setString(event.id));
  recorded.setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(event.stream)));
  recorded.setStreamRevision(String(event.revision));
  recorded.setCommitPosition(String(event.position));
  recorded.setPreparePosition(String(event.position));
  recorded.getMetadataMap().set('type', event.type);
  recorded.getMetadataMap().set('content-type', event.contentType);
  recorded.getMetadataMap().set('created', event.createdTicks);
  recorded.setData(event.data);
  recorded.setCustomMetadata(event.metadata);
  const readEvent = new ReadResp.ReadEvent();
  readEvent.setEvent(recorded);
  readEvent.setCommitPosition(String(event.position));
  return new ReadResp().setEvent(readEvent);
}

function streamName(identifier: StreamIdentifier | undefined): string {
  return Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
}

function uuidString(id: UUID | undefined): string {
  return id?.getString() ?? '';
}
