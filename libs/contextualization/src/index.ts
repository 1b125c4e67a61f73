export { SshContextualizer } from './ssh-contextualizer';
export type { NodeOutcome, SshContextualizerOptions } from './ssh-contextualizer';
export {
  SEPARATOR,
  contextualizeCommand,
  credentialsBlock,
  decontextualizeCommand,
} from './remote-commands';
export type { NodeContextualizer } from './node-contextualizer';
export { FolderContextualizer } from './folder-contextualizer';
