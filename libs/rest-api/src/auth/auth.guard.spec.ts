import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Problem } from '../http/problem';
import { AuthGuard } from './auth.guard';
import type { CredentialVerifier, Verification } from './credential-verifier';

// A stand-in verifier (named as such): only the guard's mapping of outcomes is under test here;
// the verifier itself runs for real in credential-verifier.spec.ts and the e2e specs.
function guardAnswering(outcome: Verification, seen: unknown[] = []) {
  const verifier = {
    verify: async (...args: unknown[]) => {
      seen.push(args);
      return outcome;
    },
  } as unknown as CredentialVerifier;
  return new AuthGuard(new Reflector(), verifier);
}

function context(remoteAddress: string): ExecutionContext {
  const request = {
    headers: { authorization: `Basic ${Buffer.from('alice:key').toString('base64')}` },
    socket: { remoteAddress },
  };
  return {
    getHandler: () => () => undefined,
    getClass: () => class {},
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

async function problemOf(guard: AuthGuard, ctx: ExecutionContext): Promise<Problem> {
  const error = await guard.canActivate(ctx).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Problem)) throw new Error(`expected a Problem, got ${String(error)}`);
  return error;
}

describe('AuthGuard outcomes', () => {
  it('passes the client address (IPv4-mapped as IPv4) to the verifier', async () => {
    const seen: unknown[] = [];
    const guard = guardAnswering({ outcome: 'unauthorized' }, seen);
    await problemOf(guard, context('::ffff:127.0.0.9'));
    expect(seen).toEqual([['alice', 'key', '127.0.0.9']]);
  });

  it('429 with Retry-After in whole seconds and a code for a throttled login', async () => {
    const p = await problemOf(
      guardAnswering({ outcome: 'throttled', retryAfterMs: 41_200 }),
      context('127.0.0.1'),
    );
    expect([p.status, p.code, p.detail, p.headers]).toEqual([
      429,
      'too_many_failed_logins',
      'Too many failed logins; try again in 42 s',
      { 'Retry-After': '42' },
    ]);
  });

  it('503 with Retry-After when too many checks are waiting', async () => {
    const p = await problemOf(guardAnswering({ outcome: 'busy' }), context('127.0.0.1'));
    expect([p.status, p.code, p.headers]).toEqual([
      503,
      'authentication_busy',
      { 'Retry-After': '1' },
    ]);
  });
});
