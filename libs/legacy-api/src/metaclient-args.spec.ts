import { parseMetaclientArgs } from './metaclient-args';

describe('parseMetaclientArgs', () => {
  it('reads -c (repeatable), -H and -p', () => {
    expect(
      parseMetaclientArgs([
        '-c',
        'a',
        '--config',
        'b',
        '-H',
        '0.0.0.0',
        '-p',
        '9091',
        '-D',
        'http://x',
      ]),
    ).toEqual({ configPaths: ['a', 'b'], host: '0.0.0.0', port: 9091, dest: 'http://x' });
  });

  it('refuses unknown options, missing values and bad ports', () => {
    expect(() => parseMetaclientArgs(['--nope', 'x'])).toThrow('unknown option: --nope');
    expect(() => parseMetaclientArgs(['-c'])).toThrow('option -c needs a value');
    expect(() => parseMetaclientArgs(['-p', '70000'])).toThrow('invalid port: 70000');
  });
});
