// A last line of defence under the redact paths: whatever a message or an error text carries,
// a private key block or a password in a URL never reaches the log.

// PEM blocks, also as they appear inside a JSON string (newlines escaped as \n).
const PRIVATE_KEY_BLOCK =
  /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g;
// scheme://user:password@ — the user stays, the password goes.
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"'\\]+):([^\s@/"'\\]+)@/gi;

export const SCRUBBED = '[REDACTED]';

/** `line` with private key blocks and URL passwords replaced by [REDACTED]. */
export function scrubSecrets(line: string): string {
  return line
    .replace(
      PRIVATE_KEY_BLOCK,
      (_, kind: string) => `-----BEGIN ${kind}PRIVATE KEY----- ${SCRUBBED}`,
    )
    .replace(URL_PASSWORD, (_, head: string) => `${head}:${SCRUBBED}@`);
}
