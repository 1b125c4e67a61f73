import { ApiError, UnreachableError } from '../client/api-client.js';

const HINTS: Record<number, string> = {
  401: ' (check --auth-name and --auth-key, or client.auth in the configuration)',
  403: ' (this tenant may not do that, or it is retired)',
};

/** One line for an error from the API, so the TUI shows it instead of crashing. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return `Error ${e.status}: ${e.detail}${HINTS[e.status] ?? ''}`;
  if (e instanceof UnreachableError) return `Error: ${e.message}`;
  return `Error: ${e instanceof Error ? e.message : String(e)}`;
}
