import { Command } from '@nestjs/cqrs';

export interface ReconcilerOptions {
  /** A request still unfinished this long after it was made is presumed interrupted. */
  staleAfterMs: number;
}

export interface ReconcileReport {
  /** Interrupted requests that had everything reserved: now allocated. */
  finished: number[];
  /** Sessions whose holdings were given back (and that are now failed, unless retired). */
  compensated: number[];
}

/** Repairs session requests a crash left half-done, so that no node or quota stays held. */
export class ReconcileSessionRequestsCommand extends Command<ReconcileReport> {
  constructor(readonly options: Partial<ReconcilerOptions> = {}) {
    super();
  }
}
