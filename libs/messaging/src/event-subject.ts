/**
 * JetStream subject of an event: `<root>.<category>.<type>` (root e.g. `duffy.<ns>.events`, see
 * jetstream-names.ts), where the category is the stream's kind (`node-42` → `node`), so
 * consumers can filter by kind or by type.
 */
export function eventSubject(root: string, stream: string, type: string): string {
  const dash = stream.indexOf('-');
  const category = dash === -1 ? stream : stream.slice(0, dash);
  return `${root}.${token(category)}.${token(type)}`;
}

/** Subjects are dot-separated tokens; wildcards and whitespace would change their meaning. */
function token(s: string): string {
  const t = s.replace(/[.*>\s]/g, '_');
  return t === '' ? '_' : t;
}
