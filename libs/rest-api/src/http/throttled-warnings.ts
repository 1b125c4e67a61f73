/**
 * At most one warning line per code and window: an expected 5xx (`authentication_busy` under a
 * flood of bad keys, `concurrent_update` under load) can come by the thousand, and an anonymous
 * client must not be able to fill the log. The next line after a quiet window says how many
 * were left out.
 */
export class ThrottledWarnings {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly write: (line: string) => void,
    private readonly windowMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  warn(code: string, line: string): void {
    const at = this.now();
    const seen = this.last.get(code);
    if (seen && at - seen.at < this.windowMs) {
      seen.suppressed++;
      return;
    }
    const more = seen?.suppressed ? ` (${seen.suppressed} more ${code} since the last line)` : '';
    this.last.set(code, { at, suppressed: 0 });
    this.write(line + more);
  }
}
