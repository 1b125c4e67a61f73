import type { NodeOutcome } from './ssh-contextualizer';

/**
 * Puts a tenant's key on nodes and takes it off again; results keep input order. Over ssh in
 * every real deployment; on local folders for `duffy dev`'s demo nodes, which are no machines.
 */
export interface NodeContextualizer {
  contextualize(ipaddrs: string[], sshKey: string): Promise<NodeOutcome[]>;
  decontextualize(ipaddrs: string[]): Promise<NodeOutcome[]>;
}
