/**
 * `--format json`: what the original printed with Python's `json.dumps(result)` — one line,
 * `", "` and `": "` separators, everything outside printable ASCII escaped as `\uXXXX`.
 */
export function formatJson(value: unknown): string {
  return `${pythonJson(value)}\n`;
}

function pythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${asciiString(k)}: ${pythonJson(v)}`).join(', ')}}`;
  }
  if (typeof value === 'string') return asciiString(value);
  return JSON.stringify(value);
}

function asciiString(s: string): string {
  return JSON.stringify(s).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
