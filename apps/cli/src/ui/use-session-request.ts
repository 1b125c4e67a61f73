import { useCallback, useEffect, useRef, useState } from 'react';
import { describeRequestPhase, type RequestObservation } from '../client/request-phase.js';
import type { DuffyApi, NodeSpec, SessionInfo } from './duffy-api.js';
import { errorText } from './error-text.js';

export interface SessionRequest {
  specs: NodeSpec[];
  pending: boolean;
  /** Milliseconds since the epoch, when the request was sent. */
  startedAt: number;
  /** The observed phase while pending, in words. */
  phase: string;
  result?: SessionInfo;
  error?: string;
}

/**
 * Sends `POST /sessions` and, while it runs, polls the requested pools and the session list
 * every `pollMs` to say what the request is waiting for. One request at a time.
 */
export function useSessionRequest(
  api: DuffyApi,
  pollMs: number,
  onSettled: (request: SessionRequest) => void,
  clock: () => Date,
) {
  const [request, setRequest] = useState<SessionRequest>();
  const pending = useRef(false);
  const timer = useRef<ReturnType<typeof setInterval>>(undefined);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      clearInterval(timer.current);
    };
  }, []);

  const submit = useCallback(
    async (specs: NodeSpec[], knownSessionIds: number[]): Promise<void> => {
      if (pending.current) return;
      pending.current = true;
      const started: SessionRequest = {
        specs,
        pending: true,
        startedAt: clock().getTime(),
        phase: 'sending the request',
      };
      setRequest(started);
      const observe = observer(api, specs, new Set(knownSessionIds));
      let polling = false;
      timer.current = setInterval(async () => {
        if (polling) return; // a slow API must not pile up requests
        polling = true;
        try {
          const phase = describeRequestPhase(await observe());
          if (mounted.current && pending.current) setRequest((r) => r && { ...r, phase });
        } catch {
          // keep the last phase; the request itself reports what went wrong
        } finally {
          polling = false;
        }
      }, pollMs);
      let settled: SessionRequest;
      try {
        settled = { ...started, pending: false, result: await api.requestSession(specs) };
      } catch (e) {
        settled = { ...started, pending: false, error: errorText(e) };
      }
      clearInterval(timer.current);
      pending.current = false;
      if (!mounted.current) return;
      setRequest(settled);
      onSettled(settled);
    },
    [api, pollMs, onSettled, clock],
  );

  const isPending = useCallback(() => pending.current, []);
  return { request, submit, isPending };
}

/** Reads the requested pools' levels and the nodes of a session that was not there before. */
function observer(api: DuffyApi, specs: NodeSpec[], known: Set<number>) {
  const pools = [...new Set(specs.map((s) => s.pool))];
  return async (): Promise<RequestObservation> => {
    const [levels, sessions] = await Promise.all([
      Promise.all(
        pools.map((p) =>
          api.showPool(p).then(
            (s) => s.levels,
            () => undefined,
          ),
        ),
      ),
      api.listSessions().catch(() => []),
    ]);
    const fresh = sessions.filter((s) => !known.has(s.id)).sort((a, b) => b.id - a.id)[0];
    return {
      levels: Object.fromEntries(pools.map((p, i) => [p, levels[i]])),
      sessionNodeStates: fresh?.nodes.map((n) => n.state),
    };
  };
}
