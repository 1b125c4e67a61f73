// Time deltas as in the original Duffy (compat §3.3), in milliseconds.
// Two flavours share one grammar: config deltas (optional '+', bare numbers are seconds) and
// API deltas (mandatory sign, negatives allowed, no bare numbers).

const DELTA_RE =
  /^([+-])?\s*(?:(\d+)\s*w)?\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?!s))?\s*(?:(\d+)\s*s)?\s*(?:(\d+)\s*ms)?$/i;

const UNIT_MS = [7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1_000, 1] as const;

export class InvalidDeltaError extends Error {
  constructor(readonly value: unknown) {
    super(`invalid time delta '${describe(value)}'`);
    this.name = 'InvalidDeltaError';
  }
}

function describe(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

/** Parses `[sign] [nw] [nd] [nh] [nm] [ns] [nms]`; null when it does not match. */
function parseParts(text: string): { sign: '+' | '-' | undefined; ms: number } | null {
  const m = DELTA_RE.exec(text.trim());
  if (!m) return null;
  const parts = m.slice(2, 8);
  // At least one part: a lone sign or an empty string is not a delta.
  if (parts.every((p) => p === undefined)) return null;
  const ms = parts.reduce((sum, p, i) => sum + (p === undefined ? 0 : Number(p) * UNIT_MS[i]), 0);
  return { sign: m[1] as '+' | '-' | undefined, ms };
}

/**
 * Config flavour: `6h`, `+3h30m`, `300`, `"300"`, `600.0`; never negative.
 * Returns milliseconds; throws InvalidDeltaError.
 */
export function parseConfigDelta(value: unknown): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new InvalidDeltaError(value);
    return Math.round(value * 1000);
  }
  if (typeof value !== 'string') throw new InvalidDeltaError(value);
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const parsed = parseParts(text);
  if (!parsed || parsed.sign === '-') throw new InvalidDeltaError(value);
  return parsed.ms;
}

/** API flavour (`PUT /sessions` expires_at): `+3h30m`, `-2d`; sign mandatory. */
export function parseApiDelta(value: unknown): number {
  if (typeof value !== 'string') throw new InvalidDeltaError(value);
  const parsed = parseParts(value);
  if (!parsed || parsed.sign === undefined) throw new InvalidDeltaError(value);
  return parsed.sign === '-' ? -parsed.ms : parsed.ms;
}

export function isConfigDelta(value: unknown): boolean {
  try {
    parseConfigDelta(value);
    return true;
  } catch {
    return false;
  }
}

export function isApiDelta(value: unknown): boolean {
  try {
    parseApiDelta(value);
    return true;
  } catch {
    return false;
  }
}

/** Config serialisation: integer seconds, a float only when sub-second parts exist. */
export function formatDeltaSeconds(ms: number): number {
  // JS numbers make whole seconds integers and keep sub-second parts as a fraction.
  return ms / 1000;
}

/** API serialisation: `+3h30m`, `-2d`, `+0s` for zero (days are the largest unit). */
export function formatApiDelta(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  let rest = Math.abs(Math.round(ms));
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
    ['ms', 1],
  ];
  let out = '';
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) out += `${n}${unit}`;
  }
  return sign + (out || '0s');
}
