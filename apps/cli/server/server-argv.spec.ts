import { parseServerArgv } from './server-argv';

describe('the server entry command line', () => {
  it('splits words, --name=value options, flags and -c paths', () => {
    expect(
      parseServerArgv([
        'admin',
        'create-tenant',
        'bob',
        'ssh-ed25519 AAA bob@host',
        '--node-quota=-1',
        '--session-lifetime=1d 2h',
        '--is-admin',
        '-c',
        '/etc/duffy',
        '--config=/tmp/x.yaml',
      ]),
    ).toEqual({
      words: ['admin', 'create-tenant', 'bob', 'ssh-ed25519 AAA bob@host'],
      options: { 'node-quota': '-1', 'session-lifetime': '1d 2h', 'is-admin': true },
      configPaths: ['/etc/duffy', '/tmp/x.yaml'],
    });
  });

  it('keeps an = inside a value', () => {
    expect(parseServerArgv(['--ssh-key=a=b']).options).toEqual({ 'ssh-key': 'a=b' });
  });

  it('refuses -c without a path', () => {
    expect(() => parseServerArgv(['-c'])).toThrow('option -c needs a value');
  });
});
