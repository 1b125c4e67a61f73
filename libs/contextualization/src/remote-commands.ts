/**
 * The remote side of contextualization, as the original Duffy does it: Duffy's own key sits in
 * the node's authorized_keys above a separator line; tenant keys go below it.
 */
export const SEPARATOR = '### DUFFY tenant credentials';

/** Keeps every line before the first separator: removes all tenant credentials. */
export function decontextualizeCommand(authorizedKeys: string): string {
  return `sed -i -n '/${SEPARATOR}/q;p' ${authorizedKeys}`;
}

/**
 * Removes old tenant credentials, then appends the separator and the key read from stdin, in
 * one ssh session (the original used two). Nothing is appended if the removal failed.
 */
export function contextualizeCommand(authorizedKeys: string): string {
  return `${decontextualizeCommand(authorizedKeys)} && cat - >> ${authorizedKeys}`;
}

/** What contextualizeCommand reads on stdin. */
export function credentialsBlock(sshKey: string): string {
  return `${SEPARATOR}\n${sshKey.trim()}\n`;
}
