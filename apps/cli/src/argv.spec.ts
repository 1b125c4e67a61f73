import { parseArgv, UsageError } from './argv.js';

describe('parseArgv', () => {
  it('takes -c before and after the command words, in order', () => {
    const p = parseArgv(['-c', 'a.yaml', 'config', 'check', '--config', 'dir', '--config=b.yml']);
    expect(p.words).toEqual(['config', 'check']);
    expect(p.configPaths).toEqual(['a.yaml', 'dir', 'b.yml']);
  });

  it('reads flags and a case-insensitive log level', () => {
    const p = parseArgv(['--version', '-l', 'DEBUG', '--help']);
    expect(p).toMatchObject({ version: true, help: true, loglevel: 'debug', words: [] });
  });

  it.each([
    [['--nope'], 'no such option: --nope'],
    [['-c'], 'option -c needs a value'],
    [['-l', 'loud'], "invalid log level 'loud'"],
  ])('rejects %j with a usage error', (argv, message) => {
    expect(() => parseArgv(argv)).toThrow(UsageError);
    expect(() => parseArgv(argv)).toThrow(message);
  });
});
