import { Box, Text } from 'ink';

export interface Row {
  text: string;
  /** Shown inverted: the selected row of a list. */
  selected?: boolean;
  dim?: boolean;
}

/** Lines of text, each cut at the box's width instead of wrapping (the layout counts rows). */
export function RowsView({ rows }: { rows: Row[] }) {
  return (
    <Box flexDirection="column">
      {rows.map((row, i) => (
        <Text key={i} wrap="truncate" inverse={row.selected} dimColor={row.dim}>
          {row.text === '' ? ' ' : row.text}
        </Text>
      ))}
    </Box>
  );
}
