// Fields that hold a secret wherever they appear (top level or one object down), and the
// request headers that carry credentials. pino replaces their values with [REDACTED].
const SECRET_FIELDS = [
  'authorization',
  'key',
  'api_key',
  'apiKey',
  'password',
  'private_key',
  'privateKey',
  'ssh_key',
  'sshKey',
  'secret',
  'token',
];

export const REDACT_PATHS: string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
];
