/**
 * Time left until `expiresAt`, for the sessions list: `05:59:58`, `2d 03:04:05` beyond a day,
 * `expired` once past, `never` for a session without expiry. Seconds are floored, so the
 * display never promises more time than there is.
 */
export function formatCountdown(expiresAt: string | null, now: Date): string {
  if (expiresAt === null) return 'never';
  const expires = Date.parse(expiresAt);
  if (Number.isNaN(expires)) return 'unknown';
  const left = Math.floor((expires - now.getTime()) / 1000);
  if (left <= 0) return 'expired';
  const days = Math.floor(left / 86_400);
  const clock = [Math.floor((left % 86_400) / 3600), Math.floor((left % 3600) / 60), left % 60]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
  return days > 0 ? `${days}d ${clock}` : clock;
}
