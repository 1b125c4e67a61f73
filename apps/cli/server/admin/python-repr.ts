// The original's admin commands print Python values with f-strings; these give the same text.

/** `None` for null, else the value as Python's str() prints a number. */
export function pyOptional<T>(value: T | null, format: (v: T) => string): string {
  return value === null ? 'None' : format(value);
}

export const pyBool = (value: boolean): string => (value ? 'True' : 'False');

/** str(timedelta): `6:00:00`, `1 day, 0:00:00`, `2 days, 3:04:05.250000`. */
export function pyTimedelta(ms: number): string {
  const micros = Math.round(ms * 1000);
  const dayMicros = 86_400_000_000;
  const days = Math.floor(micros / dayMicros);
  let rest = micros - days * dayMicros;
  const hours = Math.floor(rest / 3_600_000_000);
  rest -= hours * 3_600_000_000;
  const minutes = Math.floor(rest / 60_000_000);
  rest -= minutes * 60_000_000;
  const seconds = Math.floor(rest / 1_000_000);
  const fraction = rest - seconds * 1_000_000;
  const clock = `${hours}:${pad(minutes, 2)}:${pad(seconds, 2)}${fraction ? `.${pad(fraction, 6)}` : ''}`;
  return days === 0 ? clock : `${days} day${Math.abs(days) === 1 ? '' : 's'}, ${clock}`;
}

/** str(datetime) of a naive UTC timestamp: `2024-05-31 12:00:00.421000` (no zone, as stored). */
export function pyDatetime(iso: string): string {
  const d = new Date(iso);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
  const time = `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  const ms = d.getUTCMilliseconds();
  return `${date} ${time}${ms ? `.${pad(ms * 1000, 6)}` : ''}`;
}

/** repr(str): single quotes unless the text holds one and no double quote. */
export function pyStrRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replace(new RegExp(quote, 'g'), `\\${quote}`);
  return `${quote}${escaped}${quote}`;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
