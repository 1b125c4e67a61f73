import { parseBasicAuth } from './basic-credentials';

const basic = (s: string) => `Basic ${Buffer.from(s, 'utf8').toString('base64')}`;

describe('parseBasicAuth', () => {
  it.each([
    [undefined, { kind: 'none' }],
    ['', { kind: 'none' }],
    ['Bearer abc', { kind: 'none' }],
    [basic('tenant:0b4f-key'), { kind: 'credentials', name: 'tenant', key: '0b4f-key' }],
    [basic('t:a:b'), { kind: 'credentials', name: 't', key: 'a:b' }],
    [`bAsIc ${Buffer.from('x:').toString('base64')}`, { kind: 'credentials', name: 'x', key: '' }],
    ['Basic !!!notbase64', { kind: 'invalid' }],
    ['Basic', { kind: 'invalid' }],
    [basic('no-colon'), { kind: 'invalid' }],
    [basic('tënant:key'), { kind: 'invalid' }],
    [basic('x\0:y'), { kind: 'invalid' }],
    [basic('x:y\0'), { kind: 'invalid' }],
    [basic('x:\ty'), { kind: 'invalid' }],
    [basic('x\x7f:y'), { kind: 'invalid' }],
    [basic('x:a b'), { kind: 'credentials', name: 'x', key: 'a b' }],
  ])('%j → %j', (header, expected) => {
    expect(parseBasicAuth(header)).toEqual(expected);
  });
});
