/** LISTEN / UNLISTEN found in a statement text, with channel names as the server spells them. */
export interface ListenChange {
  listen: string[];
  unlisten: string[];
  unlistenAll: boolean;
}

const STATEMENT = /^\s*(UNLISTEN|LISTEN)\s+("(?:[^"]|"")+"|[A-Za-z_][\w$]*|\*)\s*$/i;

/** Unquoted identifiers fold to lower case; quoted ones keep their spelling. */
function channelName(token: string): string {
  return token.startsWith('"') ? token.slice(1, -1).replace(/""/g, '"') : token.toLowerCase();
}

/**
 * Finds LISTEN and UNLISTEN statements. Splitting on ';' is naive (a ';' inside a string literal
 * would confuse it), which is fine for the short LISTEN commands clients send.
 */
export function listenChanges(sql: string): ListenChange {
  const change: ListenChange = { listen: [], unlisten: [], unlistenAll: false };
  if (!/listen/i.test(sql)) return change;
  for (const statement of sql.split(';')) {
    const match = STATEMENT.exec(statement);
    if (!match) continue;
    const [, verb, target] = match;
    if (verb.toUpperCase() === 'LISTEN') change.listen.push(channelName(target));
    else if (target === '*') change.unlistenAll = true;
    else change.unlisten.push(channelName(target));
  }
  return change;
}

/** A channel name quoted for use in SQL. */
export function quotedChannel(channel: string): string {
  return `"${channel.replace(/"/g, '""')}"`;
}
