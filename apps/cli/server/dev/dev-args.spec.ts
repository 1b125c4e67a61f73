import { DevArgsError, parseDevArgs } from './dev-args';

describe('duffy dev arguments', () => {
  it('has defaults: port 8080, no data folder given, no ssh', () => {
    expect(parseDevArgs(['dev'])).toEqual({ port: 8080, ssh: false, configPaths: [] });
  });

  it('reads every option, spaced or with =', () => {
    expect(
      parseDevArgs([
        '--data',
        '/tmp/d',
        '--port=9000',
        '--legacy-port',
        '9001',
        '--ssh',
        '-c',
        'a',
      ]),
    ).toEqual({ dataDir: '/tmp/d', port: 9000, legacyPort: 9001, ssh: true, configPaths: ['a'] });
  });

  it.each([
    [['--port', 'x'], "--port: 'x' is not a port number (1-65535)"],
    [['--port', '70000'], "--port: '70000' is not a port number (1-65535)"],
    [['--data'], '--data needs a value'],
    [['--bogus'], 'unexpected argument: --bogus'],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseDevArgs(argv)).toThrow(new DevArgsError(message));
  });
});
