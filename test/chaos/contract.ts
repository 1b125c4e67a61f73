/**
 * The shapes the chaos harness's parts hand each other: the load generator records every answer,
 * the Ansible pools' playbooks record every effect, the checker reads both with the event log.
 */

/** What the load generator asked. */
export type OperationKind =
  | 'request' // POST /api/v1/sessions
  | 'request-queued' // POST /api/v1/sessions with a queue deadline
  | 'show' // GET /api/v1/sessions/{id} on the api that answered the request
  | 'show-other-api' // the same GET on the other api instance (read-your-writes across instances)
  | 'retire' // PUT /api/v1/sessions/{id} {"active": false}
  | 'extend' // PUT /api/v1/sessions/{id} {"expires_at": "+…"}
  | 'legacy-get' // metaclient GET /Node/get
  | 'legacy-done'; // metaclient GET /Node/done

/** One answer (or network failure) the load generator got; one JSON line in answers.jsonl. */
export interface Answer {
  /** ISO time the request was sent. */
  at: string;
  latencyMs: number;
  /** Base URL asked (an api instance or the metaclient). */
  target: string;
  op: OperationKind;
  method: string;
  path: string;
  tenant: string;
  /** HTTP status; 0 when no answer came (connection refused or reset, timeout). */
  status: number;
  /** The problem's machine-readable `code` of a 4xx/5xx answer, when it had one. */
  code?: string;
  retryAfter?: string;
  /** Network error text when status is 0. */
  error?: string;
  /** For session operations: the session id (from the path or the 201 body). */
  sessionId?: number;
  /** Node ids of the session in the answer's body (201 of a request, 200 of a show). */
  nodeIds?: number[];
  /** The session's state in the answer's body (`active`, `queued`, …) when it had one. */
  sessionState?: string;
}

/** One provision or deprovision a playbook did, as the marker line it wrote. */
export interface EffectMarker {
  kind: 'provision' | 'deprovision';
  nodeId: number;
  /** ISO time the playbook wrote the marker. */
  at: string;
  /** DUFFY_CORRELATION_ID of the run, when it had one. */
  correlationId?: string;
}

/** One broken promise found by the checker. */
export interface Violation {
  /** Stable rule name, e.g. `node-in-two-sessions`, `quota-exceeded`, `stuck-node`. */
  rule: string;
  detail: string;
}

/** One fault the injector caused, with when the system was seen whole again. */
export interface InjectedFault {
  kind: 'kill' | 'pause' | 'nats-node' | 'postgres-restart';
  /** The process or engine hit: `api-1`, `projector-2`, `nats-3`, `postgresql`, … */
  target: string;
  at: string;
  /** How long the process stayed down or paused, ms. */
  downMs: number;
  /** From the fault's end until every api answered /ready with 200 again, ms; absent if never. */
  recoveredMs?: number;
  /** A kill of the active projector: from the kill until the standby was active, ms. */
  takeoverMs?: number;
}
