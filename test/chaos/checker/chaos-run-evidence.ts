import type { RecordedEvent } from '@app/event-store';
import type { Answer, EffectMarker, Violation } from '../contract';

/** Everything a chaos run left behind, as the checker reads it (gatherEvidence collects it). */
export interface ChaosRunEvidence {
  /** The whole log (store.readAll()), in position order. */
  events: RecordedEvent[];
  /** The load generator's answers.jsonl. */
  answers: Answer[];
  /** The playbooks' effect markers. */
  markers: EffectMarker[];
  /** Every message of the JetStream event stream: its Nats-Msg-Id (the event id) and sequence. */
  relayed: { eventId: string; streamSeq: number }[];
  /** The read models' checkpoint position. */
  projectorCheckpoint: number;
  /** The relay's checkpoint position. */
  relayCheckpoint: number;
  /** `projector verify`, run by the harness. */
  verify: { exitCode: number; output: string };
  /** When the check runs (after the settle time). */
  now: Date;
  timeouts: { provisioningMs: number; contextualizingMs: number; deprovisioningMs: number };
  /** Slack added to each timeout. */
  graceMs: number;
  /** defaults.node-quota. */
  defaultQuota: number;
  pools: { name: string; fillLevel: number; mechanism: 'static' | 'ansible' }[];
  /** Lines of answers.jsonl and of the marker files that could not be read (cut short). */
  unreadable?: { answers: number; markers: number };
}

export interface CheckReport {
  violations: Violation[];
  figures: Record<string, number>;
}

/** What one rule family finds. */
export interface RuleFindings {
  violations: Violation[];
  figures?: Record<string, number>;
}
