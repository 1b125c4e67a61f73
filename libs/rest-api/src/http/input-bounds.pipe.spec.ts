import { Problem } from './problem';
import { checkInput, InputBoundsPipe, MAX_INPUT_DEPTH } from './input-bounds.pipe';

const nested = (depth: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? { a: value } : [value];
  return value;
};
const refusal = (work: () => unknown): Problem | undefined => {
  try {
    work();
    return undefined;
  } catch (error) {
    return error as Problem;
  }
};

describe('checkInput', () => {
  it('lets MAX_INPUT_DEPTH levels through and refuses one more, naming the field', () => {
    expect(refusal(() => checkInput(nested(MAX_INPUT_DEPTH)))).toBeUndefined();
    expect(refusal(() => checkInput({ data: nested(MAX_INPUT_DEPTH) }))).toMatchObject({
      status: 422,
      code: 'too_deep',
      detail: expect.stringMatching(/^data\.a\.0\.a.*: nested deeper than 32 levels$/),
    });
  });

  it('walks a million levels without overflowing its own stack', () => {
    expect(refusal(() => checkInput(nested(1_000_000)))).toMatchObject({ code: 'too_deep' });
  });

  it('refuses a NUL in any string or key, wherever it is', () => {
    for (const [value, field] of [
      ['\0', 'body'],
      [{ name: 'a\0b' }, 'name'],
      [{ nodes_specs: [{ pool: 'p' }, { pool: 'p\0' }] }, 'nodes_specs.1.pool'],
      [{ data: { 'k\0': 1 } }, 'data.k\\u0000'],
    ] as Array<[unknown, string]>) {
      expect(refusal(() => checkInput(value))).toMatchObject({
        status: 422,
        code: 'validation_error',
        detail: `${field}: must not contain NUL characters`,
      });
    }
    expect(refusal(() => checkInput({ a: ['x', 1, null, true, { b: '' }] }))).toBeUndefined();
  });
});

describe('InputBoundsPipe', () => {
  const pipe = new InputBoundsPipe();

  it('names query and path parameters by their name, and leaves custom parameters alone', () => {
    expect(refusal(() => pipe.transform('a\0', { type: 'query', data: 'pool' }))).toMatchObject({
      detail: 'pool: must not contain NUL characters',
    });
    expect(
      refusal(() => pipe.transform(['a', '\0'], { type: 'query', data: 'pool' })),
    ).toMatchObject({
      detail: 'pool.1: must not contain NUL characters',
    });
    expect(refusal(() => pipe.transform('1\0', { type: 'param', data: 'id' }))).toMatchObject({
      detail: 'id: must not contain NUL characters',
    });
    const caller = { name: 'x\0' };
    expect(pipe.transform(caller, { type: 'custom' })).toBe(caller);
  });
});
