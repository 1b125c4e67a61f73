/**
 * Reads an HTTP Basic `Authorization` header the way the original's FastAPI did (compat §1.2):
 * no header or another scheme is "none" (anonymous where allowed), a Basic header that does not
 * decode to printable ASCII `name:key` is "invalid". Control characters are refused here because
 * no tenant name or key holds one, and a NUL would otherwise reach PostgreSQL (which cannot store
 * it) as a server fault.
 */
export type BasicCredentials =
  { kind: 'none' } | { kind: 'invalid' } | { kind: 'credentials'; name: string; key: string };

export function parseBasicAuth(header: string | undefined): BasicCredentials {
  if (!header) return { kind: 'none' };
  const space = header.indexOf(' ');
  const scheme = space === -1 ? header : header.slice(0, space);
  if (scheme.toLowerCase() !== 'basic') return { kind: 'none' };
  const encoded = header.slice(space + 1).trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    return { kind: 'invalid' };
  }
  const decoded = Buffer.from(encoded, 'base64');
  if (decoded.some((b) => b < 0x20 || b > 0x7e)) return { kind: 'invalid' };
  const text = decoded.toString('ascii');
  const colon = text.indexOf(':');
  if (colon === -1) return { kind: 'invalid' };
  return { kind: 'credentials', name: text.slice(0, colon), key: text.slice(colon + 1) };
}
