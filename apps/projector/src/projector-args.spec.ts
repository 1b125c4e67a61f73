import { parseProjectorArgs } from './projector-args';

describe('parseProjectorArgs', () => {
  it('defaults to run and collects -c paths in order', () => {
    expect(parseProjectorArgs(['-c', 'a', '--config=b'])).toEqual({
      mode: 'run',
      configPaths: ['a', 'b'],
    });
    expect(parseProjectorArgs(['verify', '-c', 'x'])).toEqual({
      mode: 'verify',
      configPaths: ['x'],
    });
  });

  it('refuses unknown words, a second mode and a -c without value', () => {
    expect(() => parseProjectorArgs(['frob'])).toThrow('unexpected argument: frob');
    expect(() => parseProjectorArgs(['verify', 'rebuild'])).toThrow('unexpected argument');
    expect(() => parseProjectorArgs(['-c'])).toThrow('-c needs a value');
  });
});
