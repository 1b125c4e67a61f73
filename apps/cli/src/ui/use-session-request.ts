import { useCallback, useEffect, useRef, useState } from 'react';
import {
  describeRequestPhase,
  failureText,
  queueText,
  type RequestObservation,
} from '../client/request-phase.js';
import type { DuffyApi, NodeSpec, SessionFailure, SessionInfo } from './duffy-api.js';
import { errorText } from './error-text.js';

export interface SessionRequest {
  specs: NodeSpec[];
  pending: boolean;
  /** Milliseconds since the epoch, when the request was sent. */
  startedAt: number;
  /** The observed phase while pending, in words. */
  phase: string;
  /** The wait in line asked for (`10m`); none: refused at once when the nodes are not there. */
  wait?: string;
  /** The session while it waits in line, as last read. */
  queued?: SessionInfo;
  /** The cancel is sent and not answered yet. */
  cancelling?: boolean;
  /** Cancelled while it waited in line (`result` is the retired session). */
  cancelled?: boolean;
  result?: SessionInfo;
  error?: string;
  /** Why the session failed, when it failed after waiting in line. */
  failure?: SessionFailure;
}

/** Until one of these, a queued session is read again every `queuePollMs`. */
const WAITING_STATES = new Set(['requested', 'queued', 'allocated']);

/**
 * Sends `POST /sessions` and, while it runs, polls the requested pools and the session list
 * every `pollMs` to say what the request is waiting for. A request that waits in line (`202`,
 * with a wait) is then read again every `queuePollMs` until it is served, failed or
 * cancelled; polling, unlike the event stream, needs nothing new of the DuffyApi fakes and
 * survives a lost connection as it is. One request at a time.
 */
export function useSessionRequest(
  api: DuffyApi,
  pollMs: number,
  onSettled: (request: SessionRequest) => void,
  clock: () => Date,
  queuePollMs = 2_000,
) {
  const [request, setRequest] = useState<SessionRequest>();
  const pending = useRef(false);
  const timer = useRef<ReturnType<typeof setInterval>>(undefined);
  const mounted = useRef(true);
  /** The queued session's id, the wake-up of the wait between two reads, and a cancel's answer. */
  const queuedId = useRef<number>(undefined);
  const wake = useRef<() => void>(() => undefined);
  const cancelledAs = useRef<SessionInfo>(undefined);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      clearInterval(timer.current);
      wake.current();
    };
  }, []);

  /** Reads the queued session until it leaves the line; undefined when unmounted meanwhile. */
  const followQueue = useCallback(
    async (first: SessionInfo): Promise<SessionInfo | undefined> => {
      let current = first;
      while (WAITING_STATES.has(current.state ?? '')) {
        const shown = current;
        setRequest((r) => r && { ...r, queued: shown, phase: queuedPhase(shown, clock()) });
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, queuePollMs);
          wake.current = () => {
            clearTimeout(t);
            resolve();
          };
        });
        if (!mounted.current) return undefined;
        if (cancelledAs.current) return cancelledAs.current;
        try {
          current = await api.showSession(first.id);
        } catch {
          // keep the last reading; the next read may work again
        }
        if (cancelledAs.current) return cancelledAs.current;
      }
      return current;
    },
    [api, clock, queuePollMs],
  );

  const submit = useCallback(
    async (specs: NodeSpec[], knownSessionIds: number[], wait?: string): Promise<void> => {
      if (pending.current) return;
      pending.current = true;
      queuedId.current = undefined;
      cancelledAs.current = undefined;
      const started: SessionRequest = {
        specs,
        pending: true,
        startedAt: clock().getTime(),
        phase: 'sending the request',
        ...(wait === undefined ? {} : { wait }),
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
        const answer = await api.requestSession(specs, wait === undefined ? undefined : { wait });
        clearInterval(timer.current);
        if (answer.state === 'queued') queuedId.current = answer.id;
        const final = answer.state === 'queued' ? await followQueue(answer) : answer;
        if (!final) return;
        settled = settledAs({ ...started, pending: false }, final, cancelledAs.current === final);
      } catch (e) {
        settled = { ...started, pending: false, error: errorText(e) };
      } finally {
        clearInterval(timer.current);
        pending.current = false;
        queuedId.current = undefined;
      }
      if (!mounted.current) return;
      setRequest(settled);
      onSettled(settled);
    },
    [api, pollMs, onSettled, clock, followQueue],
  );

  /** Retires the queued session (`PUT {"active": false}`); false when nothing is queued. */
  const cancel = useCallback(async (): Promise<boolean> => {
    const id = queuedId.current;
    if (id === undefined) return false;
    setRequest((r) => r && { ...r, cancelling: true, phase: 'cancelling the request' });
    try {
      cancelledAs.current = await api.retireSession(id);
      wake.current();
      return true;
    } catch (e) {
      if (mounted.current) setRequest((r) => r && { ...r, cancelling: false });
      throw e;
    }
  }, [api]);

  const isPending = useCallback(() => pending.current, []);
  /** The id of the session waiting in line, if one is. */
  const queuedSession = useCallback(() => queuedId.current, []);
  return { request, submit, isPending, cancel, queuedSession };
}

/** `queued: position 2, …` or what a served session waits for. */
function queuedPhase(session: SessionInfo, now: Date): string {
  if (session.queue) return queueText(session.queue, now);
  if (session.state === 'allocated') return 'nodes allocated, contextualizing them';
  return 'queued';
}

/** How a request ended, from its session's last state. */
function settledAs(
  request: SessionRequest,
  session: SessionInfo,
  cancelled: boolean,
): SessionRequest {
  if (cancelled) return { ...request, cancelled: true, result: session };
  if (session.state === 'failed') {
    const why = session.failure ? failureText(session.failure) : 'no reason given';
    return { ...request, error: `session ${session.id} failed: ${why}`, failure: session.failure };
  }
  if (session.state === 'retired' || !session.active) {
    return { ...request, error: `session ${session.id} was retired before it was served` };
  }
  return { ...request, result: session };
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
