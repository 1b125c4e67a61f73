import { AsyncLocalStorage } from 'node:async_hooks';

/** Fields every log line of the unit of work carries (`session_id`, `node_id`, …). */
export type LogFields = Record<string, string | number | boolean>;

interface Correlation {
  id: string;
  fields: LogFields;
}

// One id per unit of work (an api request, a saga's event), carried through every await.
const storage = new AsyncLocalStorage<Correlation>();

/**
 * Runs `fn` with `id` as the current correlation id (for it and everything it awaits), and
 * `fields` added to its log lines.
 */
export function withCorrelation<T>(id: string, fn: () => T, fields: LogFields = {}): T {
  return storage.run({ id, fields }, fn);
}

/** The correlation id of the running unit of work; undefined outside any. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.id;
}

/** `correlation_id` and the unit of work's fields, for a log line; {} outside any. */
export function correlationLogFields(): LogFields {
  const current = storage.getStore();
  return current ? { correlation_id: current.id, ...current.fields } : {};
}
