import { Text } from 'ink';
import { SCREEN_TITLES, type Screen } from './key-bindings.js';

/** ` Duffy  [1 Pools]  2 My sessions  3 Request session   ? help  q quit`. */
export function titleText(screen: Screen): string {
  const tabs = (Object.keys(SCREEN_TITLES) as (keyof typeof SCREEN_TITLES)[]).map((s, i) => {
    const label = `${i + 1} ${SCREEN_TITLES[s]}`;
    return s === screen ? `[${label}]` : ` ${label} `;
  });
  const help = screen === 'help' ? '[? help]' : ' ? help ';
  return ` Duffy  ${tabs.join(' ')}  ${help}  q quit`;
}

export function TitleBar({ screen }: { screen: Screen }) {
  return (
    <Text wrap="truncate" bold>
      {titleText(screen)}
    </Text>
  );
}
