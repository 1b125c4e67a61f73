import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Problem } from '../http/problem';
import { AUTH_MODE, AuthMode } from './auth-mode.decorator';
import { parseBasicAuth } from './basic-credentials';
import type { RequestWithCaller } from './caller';
import { clientAddress } from './client-address';
import { CredentialVerifier } from './credential-verifier';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const CHALLENGE = { 'WWW-Authenticate': 'Basic realm="duffy"' };

/**
 * HTTP Basic authentication with the original's outcomes and order (compat §1.2). A guard runs
 * before pipes, so auth errors come before body validation errors, as in FastAPI.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: CredentialVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const mode =
      this.reflector.getAllAndOverride<AuthMode>(AUTH_MODE, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'required';
    if (mode === 'none') return true;
    const request = context.switchToHttp().getRequest<RequestWithCaller>();
    const header = request.headers.authorization;
    const credentials = parseBasicAuth(Array.isArray(header) ? header[0] : header);
    if (credentials.kind === 'none') {
      throw new Problem(401, 'not_authenticated', 'Not authenticated', CHALLENGE);
    }
    if (credentials.kind === 'invalid') {
      throw new Problem(
        401,
        'invalid_credentials',
        'Invalid authentication credentials',
        CHALLENGE,
      );
    }
    const result = await this.verifier.verify(
      credentials.name,
      credentials.key,
      clientAddress(request),
    );
    switch (result.outcome) {
      case 'ok':
        if (result.tenant.isAuditor && !result.tenant.isAdmin && !READS.has(request.method ?? '')) {
          throw new Problem(403, 'read_only', 'Auditors may read everything and change nothing');
        }
        request.caller = result.tenant;
        return true;
      case 'unauthorized':
        throw new Problem(401, 'unauthorized', 'Unauthorized');
      case 'forbidden':
        throw new Problem(403, 'tenant_retired', 'Forbidden');
      case 'throttled':
        throw tooManyFailedLogins(result.retryAfterMs);
      case 'busy':
        throw new Problem(503, 'authentication_busy', 'Too many logins being checked; try again', {
          'Retry-After': '1',
        });
    }
  }
}

/** Not in the original (compat §1.2): failed logins are limited per name and per address. */
function tooManyFailedLogins(retryAfterMs: number): Problem {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new Problem(
    429,
    'too_many_failed_logins',
    `Too many failed logins; try again in ${seconds} s`,
    { 'Retry-After': String(seconds) },
  );
}
