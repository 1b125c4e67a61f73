import { isInteractiveTerminal } from './start-ui.js';

describe('isInteractiveTerminal', () => {
  const rawStdin = { isTTY: true, setRawMode: () => undefined };
  const noCi = {};

  it('needs stdout a terminal and stdin a terminal with raw mode', () => {
    expect(isInteractiveTerminal({ isTTY: true }, rawStdin, noCi)).toBe(true);
    expect(isInteractiveTerminal({ isTTY: false }, rawStdin, noCi)).toBe(false);
    expect(isInteractiveTerminal({}, rawStdin, noCi)).toBe(false);
    expect(isInteractiveTerminal({ isTTY: true }, { isTTY: true }, noCi)).toBe(false);
    expect(
      isInteractiveTerminal({ isTTY: true }, { isTTY: false, setRawMode: () => 0 }, noCi),
    ).toBe(false);
  });

  it('is not interactive where Ink would think it runs in CI (it would draw no frames)', () => {
    expect(isInteractiveTerminal({ isTTY: true }, rawStdin, { CI: 'true' })).toBe(false);
    expect(isInteractiveTerminal({ isTTY: true }, rawStdin, { CONTINUOUS_INTEGRATION: '1' })).toBe(
      false,
    );
    expect(isInteractiveTerminal({ isTTY: true }, rawStdin, { CI: 'false' })).toBe(true);
    expect(isInteractiveTerminal({ isTTY: true }, rawStdin, { CI: '0' })).toBe(true);
  });
});
