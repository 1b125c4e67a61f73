/** The secrets a test planted, and the captured lines that still show any of them. */
export interface PlantedSecrets {
  apiKeys: string[];
  /** A private key's base64 body (without the BEGIN/END lines). */
  privateKeyBody: string;
  databasePassword: string;
}

/**
 * Every captured line showing a planted secret: an API key, the database password, or any
 * 24-character stretch of the private key's body (so a key split over lines or JSON-escaped
 * newlines is still found).
 */
export function linesWithSecrets(lines: string[], secrets: PlantedSecrets): string[] {
  const body = secrets.privateKeyBody.replace(/\s+/g, '');
  const chunks: string[] = [];
  for (let i = 0; i + 24 <= body.length; i += 12) chunks.push(body.slice(i, i + 24));
  const needles = [...secrets.apiKeys, secrets.databasePassword, ...chunks];
  return lines.filter((line) => {
    const flat = line.replace(/\\n|\s+/g, '');
    return needles.some((n) => line.includes(n) || flat.includes(n));
  });
}

/** The body of a PEM block (the lines between BEGIN and END). */
export function pemBody(pem: string): string {
  return pem
    .split('\n')
    .filter((l) => l.length > 0 && !l.startsWith('-----'))
    .join('\n');
}
