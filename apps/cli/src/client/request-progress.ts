import { processIo, type CliIo } from '../io.js';
import { callApi } from './api-client.js';
import type { NodeSpec } from './node-specs.js';
import {
  describeRequestPhase,
  requestSummary,
  SPINNER_FRAMES,
  type PoolLevels,
  type RequestObservation,
} from './request-phase.js';
import type { ClientSettings } from './settings.js';

/**
 * A CliIo that says whether its stderr is a terminal. Tests set the fields; for the real
 * process io they default to what process.stderr says, and any other io counts as a pipe.
 */
export interface TerminalIo extends CliIo {
  stderrIsTty?: boolean;
  stderrColumns?: number;
  /** Gives up waiting for a queued session; for the process io, Ctrl-C does. */
  interrupt?: AbortSignal;
}

export interface ProgressTiming {
  /** Spinner frame interval. */
  frameMs?: number;
  /** How often the phase is polled from the API. */
  pollMs?: number;
}

/** The terminal width to draw the spinner in, or undefined when stderr is no terminal. */
export function progressColumns(io: TerminalIo): number | undefined {
  const isProcess = io === processIo;
  const isTty = io.stderrIsTty ?? (isProcess && process.stderr.isTTY === true);
  if (!isTty) return undefined;
  return io.stderrColumns ?? (isProcess ? process.stderr.columns : undefined) ?? 80;
}

const ERASE_LINE = '\r\x1b[2K';

/**
 * Runs `work` (the POST /sessions call). On a terminal it draws a spinner with the observed
 * phase on stderr meanwhile and erases it before returning, so the result prints on a clean
 * line; on a pipe it only runs `work`: no output, no timers, no extra requests.
 */
export async function withRequestProgress<T>(
  io: TerminalIo,
  specs: NodeSpec[],
  observe: () => Promise<RequestObservation>,
  work: () => Promise<T>,
  { frameMs = 100, pollMs = 500 }: ProgressTiming = {},
): Promise<T> {
  const columns = progressColumns(io);
  if (columns === undefined) return work();
  const summary = requestSummary(specs);
  let phase = '';
  let frame = 0;
  const draw = () => {
    const line =
      `${SPINNER_FRAMES[frame++ % SPINNER_FRAMES.length]} ${summary}… ${phase}`.trimEnd();
    io.stderr(`${ERASE_LINE}${[...line].slice(0, Math.max(columns - 1, 1)).join('')}`);
  };
  let polling = false;
  const poll = async () => {
    if (polling) return; // a slow API must not pile up requests
    polling = true;
    try {
      phase = describeRequestPhase(await observe());
    } catch {
      // keep the last phase: the request itself reports what went wrong
    } finally {
      polling = false;
    }
  };
  draw();
  void poll();
  const frameTimer = setInterval(draw, frameMs);
  const pollTimer = setInterval(() => void poll(), pollMs);
  try {
    return await work();
  } finally {
    clearInterval(frameTimer);
    clearInterval(pollTimer);
    io.stderr(ERASE_LINE);
  }
}

/** Polls each requested pool's levels (`GET /pools/NAME`); an unreadable pool is left out. */
export function observeRequestedPools(
  settings: ClientSettings,
  specs: NodeSpec[],
  timeoutMs = 2_000,
): () => Promise<RequestObservation> {
  const pools = [...new Set(specs.map((s) => s.pool))];
  return async () => {
    const entries = await Promise.all(
      pools.map(async (name) => {
        try {
          const path = `/pools/${encodeURIComponent(name)}`;
          const answer = await callApi(settings, 'GET', path, 200, undefined, timeoutMs);
          return [name, (answer.pool as { levels?: PoolLevels } | undefined)?.levels] as const;
        } catch {
          return [name, undefined] as const;
        }
      }),
    );
    return { levels: Object.fromEntries(entries) };
  };
}
