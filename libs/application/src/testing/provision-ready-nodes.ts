import { WiredApplication } from './application-fixture';

/** Provisions `count` placeholder nodes into the pool through the node commands; returns their ids. */
export async function provisionReadyNodes(
  app: WiredApplication,
  pool: string,
  count: number,
): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const node = await app.lifecycle.startProvisioning(pool);
    const ipaddr = `127.0.${Math.floor(node.nodeId / 250)}.${(node.nodeId % 250) + 1}`;
    await app.lifecycle.completeProvisioning(node.nodeId, `n${node.nodeId}.test`, ipaddr, {
      ipaddr,
    });
    ids.push(node.nodeId);
  }
  return ids;
}
