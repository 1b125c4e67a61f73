import { requestSummary, SPINNER_FRAMES } from '../client/request-phase.js';
import type { SessionRequest } from './use-session-request.js';

/**
 * `⠙ waiting for nodes: 1 contextualizing (3s), requesting 2 node(s) from demo-small`: the
 * phase first, as the end of the line may be cut at the terminal's width.
 */
export function progressText(request: SessionRequest, now: Date): string {
  const seconds = Math.max(Math.floor((now.getTime() - request.startedAt) / 1000), 0);
  const frame = SPINNER_FRAMES[seconds % SPINNER_FRAMES.length];
  return `${frame} ${request.phase} (${seconds}s), ${requestSummary(request.specs)}`;
}
