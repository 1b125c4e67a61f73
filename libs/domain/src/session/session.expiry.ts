import { DomainError } from '../domain-error';
import { toMs } from '../time';

export type ExpiryRequest = { kind: 'delta'; ms: number } | { kind: 'absolute'; atMs: number };

const UNIT_MS = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
// compat §3.3 "API delta": mandatory sign, parts in fixed order, at least one.
const API_DELTA =
  /^([+-])\s*(?:(\d+)\s*w)?\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?!s))?\s*(?:(\d+)\s*s)?\s*(?:(\d+)\s*ms)?$/i;

/** `+1h`, `-30m`, `+1d12h` are deltas; anything else must be an ISO datetime. */
export function parseExpiryRequest(text: string): ExpiryRequest {
  const trimmed = text.trim();
  const match = API_DELTA.exec(trimmed);
  if (match) {
    const parts = match.slice(2);
    if (parts.every((p) => p === undefined)) {
      throw new DomainError('invalid_request', `invalid time delta: ${text}`);
    }
    const units = Object.values(UNIT_MS);
    const ms = parts.reduce((sum, p, i) => sum + (p === undefined ? 0 : Number(p) * units[i]), 0);
    return { kind: 'delta', ms: match[1] === '-' ? -ms : ms };
  }
  if (/^[+-]/.test(trimmed) || /^\d+$/.test(trimmed)) {
    throw new DomainError('invalid_request', `invalid time delta: ${text}`);
  }
  return { kind: 'absolute', atMs: toMs(trimmed) };
}

export interface ExpiryContext {
  createdAtMs: number;
  currentMs: number | null;
  nowMs: number;
  requesterIsAdmin: boolean;
  ownerLifetimeMaxMs: number;
}

/**
 * compat §1.7 without its bugs: deltas count from the current expiry (from now if none: W-C3),
 * never before created_at; a non-admin is capped at created_at + the *owner's* max (W-C5), but
 * the cap never shortens a session that asked to be lengthened.
 */
/** The instant a request asks for, before any limit: what history shows as "asked for". */
export function requestedExpiry(request: ExpiryRequest, ctx: ExpiryContext): number {
  const base = ctx.currentMs ?? ctx.nowMs;
  return request.kind === 'delta' ? base + request.ms : request.atMs;
}

export function computeNewExpiry(request: ExpiryRequest, ctx: ExpiryContext): number {
  const target = requestedExpiry(request, ctx);
  const clamped = Math.max(target, ctx.createdAtMs);
  if (ctx.requesterIsAdmin) return clamped;
  const limit = ctx.createdAtMs + ctx.ownerLifetimeMaxMs;
  if (clamped <= limit) return clamped;
  const current = ctx.currentMs ?? limit;
  // Asked to shorten (still beyond the cap): granted. Asked to lengthen: up to the cap, not below now's expiry.
  return clamped <= current ? clamped : Math.max(limit, current);
}
