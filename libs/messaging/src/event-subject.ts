/**
 * JetStream subject of an event: `duffy.events.<category>.<type>`, where the category is the
 * stream's kind (`node-42` → `node`), so consumers can filter by kind or by type.
 */
export const EVENT_SUBJECT_ROOT = 'duffy.events';

export function eventSubject(stream: string, type: string): string {
  const dash = stream.indexOf('-');
  const category = dash === -1 ? stream : stream.slice(0, dash);
  return `${EVENT_SUBJECT_ROOT}.${token(category)}.${token(type)}`;
}

/** Subjects are dot-separated tokens; wildcards and whitespace would change their meaning. */
function token(s: string): string {
  const t = s.replace(/[.*>\s]/g, '_');
  return t === '' ? '_' : t;
}
