import type { NodeState } from '@app/domain';

/**
 * `OK: <id> <hostname> <ipaddr> pool=<p> state=<s>[ maintenance=<reason>]`, `-` for what a
 * node lacks; a retired node says so (it is only listed with `--all`).
 */
export function nodeLine(node: NodeState): string {
  const parts = [
    `OK: ${node.nodeId} ${node.hostname ?? '-'} ${node.ipaddr ?? '-'}`,
    `pool=${node.pool ?? '-'} state=${node.status}`,
  ];
  if (node.retired) parts.push('retired');
  if (node.maintenance !== null) parts.push(`maintenance=${node.maintenance}`);
  return `${parts.join(' ')}\n`;
}

/** `show` adds what an admin wrote about the node. */
export function nodeDetailLine(node: NodeState): string {
  const line = nodeLine(node);
  return node.comment ? `${line.slice(0, -1)} comment=${node.comment}\n` : line;
}
