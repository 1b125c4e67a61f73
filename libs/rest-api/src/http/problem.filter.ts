import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { isDomainError } from '@app/domain';
import { WrongExpectedVersionError } from '@app/event-store';
import { isDatabaseUnavailable } from './database-unavailable';
import { domainProblem } from './domain-problem';
import { codeForStatus, Problem } from './problem';
import { ThrottledWarnings } from './throttled-warnings';

interface HttpResponse {
  status(code: number): HttpResponse;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
  getHeader(name: string): unknown;
}

/**
 * Every error leaves as `{"detail": <text>, "code": <machine code>}` with the right status. A
 * client's mistake — including JSON the body parser cannot read (422 `invalid_json`) — is a 4xx
 * and is not logged; only our own faults are 500, logged with the request id and stack and never
 * echoed to the client. Other 5xx (a lost optimistic race, the projection lagging,
 * contextualization failing, bcrypt busy, the database restarting) are expected conditions: a
 * warning line, at most one per code every 10 s.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly log = new Logger('api');
  private readonly warnings = new ThrottledWarnings((line) => this.log.warn(line));

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<HttpResponse>();
    const problem = toProblem(exception);
    const requestId = String(res.getHeader('X-Request-Id'));
    if (problem.status >= 500 && !isExpected(exception)) {
      this.log.error(`[${requestId}] ${(exception as Error)?.stack ?? String(exception)}`);
    } else if (problem.status >= 500) {
      this.warnings.warn(
        problem.code,
        `[${requestId}] ${problem.status} ${problem.code}: ${problem.detail}`,
      );
    }
    for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
    const facts = problem.facts ? { facts: problem.facts } : {};
    res.status(problem.status).json({ detail: problem.detail, code: problem.code, ...facts });
  }
}

/** A 5xx the code answers on purpose, as opposed to a fault it did not foresee. */
function isExpected(exception: unknown): boolean {
  return (
    exception instanceof Problem ||
    exception instanceof WrongExpectedVersionError ||
    isDatabaseUnavailable(exception)
  );
}

export function toProblem(exception: unknown): Problem {
  if (exception instanceof Problem) return exception;
  // The one place a use case's refusal becomes its compat status (domain-problem.ts).
  if (isDomainError(exception)) return domainProblem(exception);
  if (exception instanceof HttpException) {
    if (isUnreadableJson(exception)) {
      return new Problem(422, 'invalid_json', httpDetail(exception));
    }
    const status = exception.getStatus();
    return new Problem(status, codeForStatus(status), httpDetail(exception));
  }
  // Optimistic concurrency lost after the handler's own retries. The original answered 422
  // (§1.6.6), but the conflict is the server's, not the client's request: 503, retry shortly.
  if (exception instanceof WrongExpectedVersionError) {
    return new Problem(503, 'concurrent_update', 'too many concurrent updates; try again', {
      'Retry-After': '1',
    });
  }
  // PostgreSQL restarting or failing over: the request is fine, the engine is away for a moment.
  if (isDatabaseUnavailable(exception)) {
    return new Problem(503, 'database_unavailable', 'the database is unavailable; try again', {
      'Retry-After': '2',
    });
  }
  const clientError = bodyParserError(exception);
  if (clientError) return clientError;
  return new Problem(500, 'internal_error', 'Internal Server Error');
}

/**
 * body-parser refuses some requests before Nest sees them (too large, unknown charset or
 * encoding); its errors carry a 4xx `status` and `expose: true`. They are the client's fault.
 */
function bodyParserError(exception: unknown): Problem | undefined {
  const e = exception as { status?: unknown; expose?: unknown; message?: unknown };
  if (typeof e !== 'object' || e === null || e.expose !== true) return undefined;
  if (typeof e.status !== 'number' || e.status < 400 || e.status > 499) return undefined;
  return new Problem(e.status, codeForStatus(e.status), String(e.message));
}

/**
 * Nest turns body-parser's SyntaxError into a BadRequestException with the parser's message (a
 * bad path escape is one too: "Failed to decode param"). The original, and its newer releases,
 * answer unreadable JSON with 422, so clients that branch on it keep working.
 */
function isUnreadableJson(exception: HttpException): boolean {
  if (exception.getStatus() !== 400) return false;
  const message = httpDetail(exception);
  return /JSON/.test(message) && !message.startsWith('Failed to decode param');
}

function httpDetail(exception: HttpException): string {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  if (typeof message === 'string') {
    // Nest's own "Cannot GET /x" becomes the original's reason phrase.
    return exception.getStatus() === 404 && message.startsWith('Cannot ') ? 'Not Found' : message;
  }
  return exception.message;
}
