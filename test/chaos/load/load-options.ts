/** What the chaos harness hands the load generator. */
export interface LoadOptions {
  /** api base URLs, e.g. http://127.0.0.1:18081 (REST under /api/v1). */
  apis: string[];
  /** Legacy API base URL, e.g. http://127.0.0.1:19090. */
  metaclient?: string;
  tenants: { name: string; key: string; legacyKey?: string }[];
  /** Pools tenants request from (1-3 nodes from 1-2 of them per request). */
  pools: string[];
  /** `/Node/get` selectors; the metaclient's poolmap maps them to pools. */
  legacyRequests: { ver: string; arch: string; flavor?: string }[];
  /** Every random choice comes from a PRNG seeded with this. */
  seed: number;
  /** Virtual clients running in parallel. */
  clients: number;
  /** 0..1: share of requests that ask to wait in line. */
  queueShare: number;
  /** Every answer is appended here as one JSON line (contract.ts Answer). */
  answersFile: string;
  /** A try is aborted after this (a SIGSTOPped api never answers). */
  requestTimeoutMs: number;
  /** How long a client holds an allocated session, ms; default [200, 3000]. */
  holdMs?: [number, number];
}

export interface LoadSummary {
  answers: number;
  byStatus: Record<string, number>;
  byOp: Record<string, number>;
  /** Sessions that came to hold nodes (201, or queued and then served). */
  sessionsAllocated: number;
  /** Sessions (and legacy ssids) whose retire was acknowledged. */
  retired: number;
  extended: number;
  legacyGot: number;
  /** Request cycles the clients finished, whatever their outcome. */
  cycles: number;
}
