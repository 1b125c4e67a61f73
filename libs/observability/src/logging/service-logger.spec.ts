import { Writable } from 'node:stream';
import { withCorrelation } from '../correlation';
import { logFormat, pinoLevel, serviceLogger } from './service-logger';

class Lines extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  }
}

describe('serviceLogger', () => {
  it('writes JSON lines with service, level name and the correlation fields of the unit of work', async () => {
    const out = new Lines();
    const logger = serviceLogger('provisioner', {
      level: 'info',
      format: 'json',
      destination: out,
    });
    logger.debug('not at info');
    await withCorrelation(
      'req-1',
      async () => {
        await Promise.resolve();
        logger.info('inside');
      },
      { session_id: 7 },
    );
    logger.info('outside');
    const [inside, outside] = out.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out.lines).toHaveLength(2);
    expect(inside).toMatchObject({
      service: 'provisioner',
      level: 'info',
      msg: 'inside',
      correlation_id: 'req-1',
      session_id: 7,
    });
    expect(outside.correlation_id).toBeUndefined();
    expect(typeof inside.time).toBe('string');
  });

  it('redacts secret fields and scrubs URL passwords and private keys', () => {
    const out = new Lines();
    const logger = serviceLogger('api', { format: 'json', destination: out });
    logger.info(
      { req: { headers: { authorization: 'Basic YTpi' } }, tenant: { api_key: 'k-123' } },
      'connect postgres://u:hunter2@127.0.0.1/db',
    );
    const line = out.lines[0];
    expect(line).not.toContain('YTpi');
    expect(line).not.toContain('k-123');
    expect(line).not.toContain('hunter2');
    expect(line).toContain('postgres://u:[REDACTED]@127.0.0.1/db');
  });

  it('maps Duffy levels to pino and refuses unknown ones', () => {
    expect(pinoLevel('warning')).toBe('warn');
    expect(pinoLevel('critical')).toBe('fatal');
    expect(pinoLevel(undefined)).toBe('info');
    expect(() => pinoLevel('loud')).toThrow(/unknown log level 'loud'/);
  });

  it('picks pretty on a TTY or when DUFFY_LOG_FORMAT says so, else JSON', () => {
    const tty = Object.assign(new Lines(), { isTTY: true });
    expect(logFormat(new Lines(), undefined, {})).toBe('json');
    expect(logFormat(tty, undefined, {})).toBe('pretty');
    expect(logFormat(tty, undefined, { DUFFY_LOG_FORMAT: 'json' })).toBe('json');
    expect(logFormat(new Lines(), undefined, { DUFFY_LOG_FORMAT: 'pretty' })).toBe('pretty');
    expect(() => logFormat(tty, undefined, { DUFFY_LOG_FORMAT: 'xml' })).toThrow(
      /DUFFY_LOG_FORMAT/,
    );
  });

  it('pretty output is readable text, scrubbed too', () => {
    const out = new Lines();
    serviceLogger('api', { format: 'pretty', destination: out }).info('via postgres://u:pw1@h/db');
    expect(out.lines.join('\n')).toContain('via postgres://u:[REDACTED]@h/db');
    expect(out.lines.join('\n')).not.toContain('{"');
  });
});
