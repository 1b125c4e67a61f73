import { Text } from 'ink';
import { SCREEN_TITLES, type Screen } from './key-bindings.js';

/** ` Duffy  [1 Pools]  2 My sessions  3 Request session   ? help  q quit`. */
export function titleText(screen: Screen): string {
  const tabs = (Object.keys(SCREEN_TITLES) as (keyof typeof SCREEN_TITLES)[]).map((s, i) => {
    const label = `${i + 1} ${SCREEN_TITLES[s]}`;
    return s === screen ? `[${label}]` : ` ${label} `;
  });
  // History has no number: it opens from My sessions (h, n), so it shows only while open, in
  // the place of `? help` (its key line says `? help`), to stay within 80 columns.
  const help = screen === 'help' ? '[? help]' : screen === 'history' ? '[History]' : ' ? help ';
  return ` Duffy  ${tabs.join(' ')}  ${help}  q quit`;
}

export function TitleBar({ screen }: { screen: Screen }) {
  return (
    <Text wrap="truncate" bold>
      {titleText(screen)}
    </Text>
  );
}
