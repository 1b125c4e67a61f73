import { levelBar } from './level-bar.js';
import { column, truncate, visibleWindow } from './text-fit.js';

describe('text fitting', () => {
  it('truncates with an ellipsis and pads columns to their width', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(truncate('abc', 0)).toBe('');
    expect(column('ab', 4)).toBe('ab  ');
    expect(column('abcdef', 4)).toBe('abc…');
  });

  it('keeps the selection in the visible window', () => {
    expect(visibleWindow(5, 4, 10)).toEqual([0, 5]);
    expect(visibleWindow(40, 0, 10)).toEqual([0, 10]);
    expect(visibleWindow(40, 20, 10)).toEqual([15, 25]);
    expect(visibleWindow(40, 39, 10)).toEqual([30, 40]);
    expect(visibleWindow(40, 3, 0)).toEqual([0, 0]);
  });

  it('draws ready nodes against the fill level', () => {
    expect(levelBar(3, 5)).toBe('[######----]');
    expect(levelBar(0, 5)).toBe('[----------]');
    expect(levelBar(9, 5)).toBe('[##########]');
    expect(levelBar(2, null)).toBe('[----------]');
    expect(levelBar(1, 2, 4)).toBe('[##--]');
  });
});
