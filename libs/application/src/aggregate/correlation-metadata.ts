import type { EventMetadata } from '@app/event-store';
import { currentCorrelationId } from '@app/observability';

/**
 * The caller's metadata, with the running unit of work's correlation id (the api request, the
 * saga event) when the caller set none: every event tells which request or event caused it.
 */
export function withCurrentCorrelation(metadata?: EventMetadata): EventMetadata | undefined {
  if (metadata?.correlationId !== undefined) return metadata;
  const correlationId = currentCorrelationId();
  return correlationId === undefined ? metadata : { ...metadata, correlationId };
}
