import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { codeForStatus, Problem } from './problem';

interface HttpResponse {
  status(code: number): HttpResponse;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
  getHeader(name: string): unknown;
}

/**
 * Every error leaves as `{"detail": <text>, "code": <machine code>}` with the right status. A
 * client's mistake — including JSON the body parser cannot read, which Nest raises as a
 * BadRequestException — is a 4xx; only our own faults are 500, logged with the request id and
 * never echoed to the client.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly log = new Logger('api');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<HttpResponse>();
    const problem = toProblem(exception);
    if (problem.status >= 500) {
      this.log.error(
        `[${String(res.getHeader('X-Request-Id'))}] ${(exception as Error)?.stack ?? String(exception)}`,
      );
    }
    for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
    res.status(problem.status).json({ detail: problem.detail, code: problem.code });
  }
}

export function toProblem(exception: unknown): Problem {
  if (exception instanceof Problem) return exception;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return new Problem(status, codeForStatus(status), httpDetail(exception));
  }
  return new Problem(500, 'internal_error', 'Internal Server Error');
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
