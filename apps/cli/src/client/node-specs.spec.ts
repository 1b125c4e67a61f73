import { UsageError } from '../argv.js';
import { parseNodeSpec, parseNodeSpecs } from './node-specs.js';

describe('request-session node specs', () => {
  it('reads pool and quantity in any order', () => {
    expect(parseNodeSpecs(['pool=a,quantity=2', 'quantity=1,pool=b-c'])).toEqual([
      { pool: 'a', quantity: 2 },
      { pool: 'b-c', quantity: 1 },
    ]);
  });

  it.each([
    ['pool=a,pool=b,quantity=1', 'Duplicate key: pool'],
    ['pool=a', 'Both `pool` and `quantity` must be set'],
    ['quantity=1', 'Both `pool` and `quantity` must be set'],
    ['pool=a,quantity=1,x=2', 'Both `pool` and `quantity` must be set'],
    ['pool', "Invalid node spec 'pool': expected pool=<pool>,quantity=<n>"],
    ['pool=a,quantity=two', "Invalid quantity 'two': not an integer"],
  ])('refuses %s with %s (exit 2)', (item, message) => {
    expect(() => parseNodeSpec(item)).toThrow(UsageError);
    expect(() => parseNodeSpec(item)).toThrow(message);
  });

  it('needs at least one spec', () => {
    expect(() => parseNodeSpecs([])).toThrow('at least one pool=<pool>,quantity=<n>');
  });
});
