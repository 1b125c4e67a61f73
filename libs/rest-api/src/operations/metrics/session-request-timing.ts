import { DomainError } from '@app/domain';
import { duffyMetrics } from '@app/observability';
import { Problem } from '../../http/problem';

/** The outcome code of a POST /sessions that failed: the domain's or the answer's `code`. */
function failureCode(error: unknown): string {
  if (error instanceof DomainError || error instanceof Problem) return error.code;
  return 'error';
}

/**
 * Times a session request to its first answer, as `duffy_session_request_duration_seconds{code}`:
 * `allocated`, `queued`, or the refusal's code.
 */
export async function timeSessionRequest<T extends { queued: boolean }>(
  request: () => Promise<T>,
): Promise<T> {
  const started = process.hrtime.bigint();
  const observe = (code: string) =>
    duffyMetrics().sessionRequestSeconds.observe(
      { code },
      Number(process.hrtime.bigint() - started) / 1e9,
    );
  try {
    const answer = await request();
    observe(answer.queued ? 'queued' : 'allocated');
    return answer;
  } catch (error) {
    observe(failureCode(error));
    throw error;
  }
}
