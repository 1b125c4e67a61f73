import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { chainHash, contentDigest } from './event-digest';

describe('canonicalJson', () => {
  it('sorts object keys recursively by code unit and keeps arrays in order', () => {
    expect(
      canonicalJson({ b: 1, a: { d: [3, 1, { z: 0, y: 1 }], c: null }, B: true, é: 'x' }),
    ).toBe('{"B":true,"a":{"c":null,"d":[3,1,{"y":1,"z":0}]},"b":1,"é":"x"}');
  });

  it('drops and nulls what JSON.stringify drops and nulls, and honours toJSON', () => {
    const value = {
      gone: undefined,
      fn: () => 1,
      list: [undefined, () => 1, NaN, Infinity],
      at: new Date('2026-01-02T03:04:05.000Z'),
      custom: { toJSON: (key: string) => `key:${key}` },
      boxed: [Object(1), Object('s'), Object(false)],
    };
    expect(canonicalJson(value)).toBe(
      '{"at":"2026-01-02T03:04:05.000Z","boxed":[1,"s",false],"custom":"key:custom","list":[null,null,null,null]}',
    );
    expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
    expect(canonicalJson(undefined)).toBe('null');
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
  });

  it('gives the same text for a value and its JSON round trip in another key order', () => {
    const given = {
      n: 1e21,
      f: 0.1,
      neg: -0,
      s: 'line\n"quoted" \u2028 😀',
      nested: { b: [], a: {} },
    };
    const readBack = JSON.parse(
      '{"nested":{"a":{},"b":[]},"s":"line\\n\\"quoted\\" \u2028 😀","neg":0,"f":0.1,"n":1000000000000000000000}',
    );
    expect(canonicalJson(readBack)).toBe(canonicalJson(given));
  });
});

describe('event digests and chain hashes', () => {
  it('are sha256 hex over type, data and metadata, chained to the previous hash', () => {
    const event = { type: 'A', data: { x: 1 }, metadata: { actor: 'a' } };
    expect(contentDigest(event)).toMatch(/^[0-9a-f]{64}$/);
    expect(contentDigest({ ...event, metadata: { actor: 'b' } })).not.toBe(contentDigest(event));
    expect(contentDigest({ ...event, type: 'B' })).not.toBe(contentDigest(event));
    // '' and null start a chain alike; a previous hash changes the link.
    expect(chainHash(null, 'd')).toBe(chainHash('', 'd'));
    expect(chainHash('p', 'd')).not.toBe(chainHash(null, 'd'));
    // Known value: sha256(':abc').
    expect(chainHash(null, 'abc')).toBe(createHash('sha256').update(':abc').digest('hex'));
  });
});
