import { useCallback, useEffect, useRef, useState } from 'react';
import type { DuffyApi, PoolStatus, SessionInfo } from './duffy-api.js';
import { errorText } from './error-text.js';

export interface DuffyData {
  pools: PoolStatus[];
  sessions: SessionInfo[];
  /** True once the first refresh has finished, successfully or not. */
  loaded: boolean;
  /** What went wrong in the last refresh; the data shown is then the last that loaded. */
  error?: string;
}

/**
 * Pools with their levels and the caller's sessions, refreshed every `refreshMs` and on
 * demand. Pools and sessions load independently: pools need no credentials, so a bad key
 * still shows them, next to the error.
 */
export function useDuffyData(api: DuffyApi, refreshMs: number) {
  const [data, setData] = useState<DuffyData>({ pools: [], sessions: [], loaded: false });
  const running = useRef(false);
  const again = useRef(false);
  const mounted = useRef(true);

  const refresh = useCallback(async (): Promise<void> => {
    // One refresh at a time; a request meanwhile (after an action) runs once more at the end.
    if (running.current) {
      again.current = true;
      return;
    }
    running.current = true;
    try {
      do {
        again.current = false;
        const [pools, sessions] = await Promise.allSettled([loadPools(api), api.listSessions()]);
        if (!mounted.current) return;
        const failure = [pools, sessions].find((r) => r.status === 'rejected');
        setData((old) => ({
          pools: pools.status === 'fulfilled' ? pools.value : old.pools,
          sessions: sessions.status === 'fulfilled' ? sessions.value : old.sessions,
          loaded: true,
          error: failure ? errorText((failure as PromiseRejectedResult).reason) : undefined,
        }));
      } while (again.current);
    } finally {
      running.current = false;
    }
  }, [api]);

  useEffect(() => {
    mounted.current = true;
    void refresh();
    const timer = setInterval(() => void refresh(), refreshMs);
    return () => {
      mounted.current = false;
      clearInterval(timer);
    };
  }, [refresh, refreshMs]);

  return { ...data, refresh };
}

/** Every pool with its levels; a pool whose levels cannot be read is shown without them. */
async function loadPools(api: DuffyApi): Promise<PoolStatus[]> {
  const pools = await api.listPools();
  return Promise.all(pools.map((p) => api.showPool(p.name).catch((): PoolStatus => p)));
}
