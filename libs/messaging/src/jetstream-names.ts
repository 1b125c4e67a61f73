import type { EventStore } from '@app/event-store';

/** What the relay and the provisioner's sagas call things in JetStream. */
export interface JetStreamNames {
  /** The stream the relay publishes to, and its subject root. */
  eventStream: string;
  subjectRoot: string;
  /** Where poison messages are parked. */
  deadLetterStream: string;
  deadLetterRoot: string;
  /** Durable consumer names are `<durablePrefix>-<saga>`. */
  durablePrefix: string;
}

/** Explicit names win; else a namespace (`tasks.nats.prefix`); else one from the store's id. */
export type JetStreamNaming = Partial<JetStreamNames> & { namespace?: string };

/** Stream names, subject tokens and durable names must not hold `.`, `*`, `>` or spaces. */
const NAMESPACE = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export function isJetStreamNamespace(value: unknown): value is string {
  return typeof value === 'string' && NAMESPACE.test(value);
}

/** The default namespace of a store: the first 12 hex digits of its installation id. */
export function namespaceOfInstallation(installationId: string): string {
  const hex = installationId.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{12,}$/.test(hex)) throw new Error(`not an installation id: ${installationId}`);
  return hex.slice(0, 12);
}

/** `ab12…` → stream `DUFFY_AB12…_EVENTS`, subjects `duffy.ab12….events.>`, durables `duffy-ab12…-<saga>`. */
export function jetStreamNamesOf(namespace: string): JetStreamNames {
  if (!isJetStreamNamespace(namespace)) {
    throw new Error(
      `JetStream namespace '${namespace}': use 1-40 of a-z, 0-9, '_' and '-', starting with a letter or digit`,
    );
  }
  const upper = namespace.toUpperCase();
  return {
    eventStream: `DUFFY_${upper}_EVENTS`,
    subjectRoot: `duffy.${namespace}.events`,
    deadLetterStream: `DUFFY_${upper}_DEAD_LETTERS`,
    deadLetterRoot: `duffy.${namespace}.dead`,
    durablePrefix: `duffy-${namespace}`,
  };
}

/**
 * Settles every name: a database of its own gets JetStream names of its own, so a provisioner
 * on a fresh or restored database never resumes another database's backlog.
 */
export async function resolveJetStreamNames(
  store: Pick<EventStore, 'installationId'>,
  naming: JetStreamNaming = {},
): Promise<JetStreamNames> {
  const explicit = NAME_KEYS.filter((k) => naming[k] !== undefined);
  if (explicit.length === NAME_KEYS.length) return pickNames(naming as JetStreamNames);
  const namespace = naming.namespace ?? namespaceOfInstallation(await store.installationId());
  const names = jetStreamNamesOf(namespace);
  for (const k of explicit) names[k] = naming[k] as string;
  return names;
}

const NAME_KEYS = [
  'eventStream',
  'subjectRoot',
  'deadLetterStream',
  'deadLetterRoot',
  'durablePrefix',
] as const;

function pickNames(n: JetStreamNames): JetStreamNames {
  const { eventStream, subjectRoot, deadLetterStream, deadLetterRoot, durablePrefix } = n;
  return { eventStream, subjectRoot, deadLetterStream, deadLetterRoot, durablePrefix };
}
