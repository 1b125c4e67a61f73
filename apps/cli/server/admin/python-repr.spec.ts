import { pyBool, pyDatetime, pyOptional, pyStrRepr, pyTimedelta } from './python-repr';

describe('Python reprs of the admin commands', () => {
  it.each([
    [6 * 3600e3, '6:00:00'],
    [0, '0:00:00'],
    [90_061_000, '1 day, 1:01:01'],
    [2 * 86_400e3 + 3 * 3600e3, '2 days, 3:00:00'],
    [250, '0:00:00.250000'],
    [7 * 86_400e3, '7 days, 0:00:00'],
  ])('str(timedelta) of %p ms is %p', (ms, text) => {
    expect(pyTimedelta(ms)).toBe(text);
  });

  it('prints naive UTC datetimes, microseconds only when there are any', () => {
    expect(pyDatetime('2024-05-31T12:00:00.421Z')).toBe('2024-05-31 12:00:00.421000');
    expect(pyDatetime('2024-05-31T12:00:00.000Z')).toBe('2024-05-31 12:00:00');
  });

  it('prints None, True and False', () => {
    expect(pyOptional(null, String)).toBe('None');
    expect(pyOptional(3, String)).toBe('3');
    expect([pyBool(true), pyBool(false)]).toEqual(['True', 'False']);
  });

  it('quotes strings as repr() does', () => {
    expect(pyStrRepr('x')).toBe("'x'");
    expect(pyStrRepr("it's")).toBe('"it\'s"');
    expect(pyStrRepr(`a'b"c`)).toBe(`'a\\'b"c'`);
  });
});
