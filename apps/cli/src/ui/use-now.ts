import { useEffect, useState } from 'react';

/** The current time, re-read every `tickMs`, so countdowns move on their own. */
export function useNow(tickMs: number, clock: () => Date): Date {
  const [now, setNow] = useState(clock);
  useEffect(() => {
    const timer = setInterval(() => setNow(clock()), tickMs);
    return () => clearInterval(timer);
  }, [tickMs, clock]);
  return now;
}
